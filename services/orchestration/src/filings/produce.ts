import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, ConflictError, NotFoundError, type Store } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import { getChecklist, type ChecklistView } from '../checklists';
import { artifactRows } from '../checklists/store/artifacts';
import { findChecklistByApproval } from '../checklists/store/checklists';
import type { ChecklistsStore } from '../checklists/store/schema';
import { artifactView } from '../checklists/views';
import { flushFilingAudit, type FilingAuditDeps } from './audit';
import { renderFilingPdf } from './document/render';
import { isFormType } from './domain';
import type { FilingFactsSource } from './facts';
import { sourceDigest, type FilingSource } from './source';
import { eventRows, findFiling, getFilingRow, insertFiling, type FilingRow } from './store/filings';
import { filingEventView, filingSummaryView, type FilingView } from './views';

export interface FilingDeps extends FilingAuditDeps {
  /** The service's store holding the checklists' tables (the same database as `store`; any store
   * type: it is read as one with `CHECKLISTS_MIGRATIONS` applied). */
  checklists: Store;
  facts: FilingFactsSource;
  /** The service identity acting on a tenant (`identity.caller`, ADR 0019): reads the facts. */
  caller: (tenant: string) => Promise<GraphCaller> | GraphCaller;
  now: () => number;
}

/** The decision the filing hangs on: the outbox `approval_decided` event's data (or the approval). */
export interface GrantedApproval {
  approval_id: string;
  /** `approved` or `modified`; anything else produces nothing. */
  status: string;
  decided_by?: string | null;
  decided_at?: string | null;
  notes?: string | null;
}

/** `fil-` and 24 hex digits (96 random bits). */
export function newFilingId(): string {
  return `fil-${randomBytes(12).toString('hex')}`;
}

const GRANTED = ['approved', 'modified'];

const checklistsOf = (deps: Pick<FilingDeps, 'checklists'>) => deps.checklists as ChecklistsStore;

export async function readFiling(
  deps: Pick<FilingDeps, 'store'>,
  tenant: string,
  id: string,
): Promise<FilingView> {
  const row = await getFilingRow(deps.store, tenant, id);
  if (!row) throw new NotFoundError('Filing not found');
  return filingView(deps, tenant, row);
}

async function filingView(
  deps: Pick<FilingDeps, 'store'>,
  tenant: string,
  row: FilingRow,
): Promise<FilingView> {
  const events = await eventRows(deps.store, tenant, row.filing_id);
  return {
    ...filingSummaryView(row),
    source: JSON.parse(row.source) as FilingSource,
    history: events.map(filingEventView),
  };
}

/**
 * Produces the filing package of a checklist whose approval was granted: the checklist's items with
 * their statuses and evidence (artifact ids, names, sizes, SHA-256), the entity's facts read through
 * the knowledge graph and flaring monitor as the service identity, and the approval, stored as the
 * filing's source with the PDF rendered from it, status `draft`; the creation goes to the approval's
 * audit trail. Idempotent per checklist and approval: a second call (a replayed event, a concurrent
 * consumer) answers the package the first one stored. 409 when the checklist is not approved by this
 * approval; nothing is stored then.
 */
export async function produceFiling(
  deps: FilingDeps,
  tenant: string,
  checklist: ChecklistView,
  approval: GrantedApproval,
): Promise<FilingView> {
  if (checklist.approval_id !== approval.approval_id)
    throw new ConflictError(
      `Checklist ${checklist.checklist_id} is not under approval ${approval.approval_id}`,
      'filing_source_mismatch',
    );
  const existing = await findFiling(deps.store, tenant, checklist.checklist_id, approval.approval_id);
  if (existing) {
    await flushFilingAudit(deps, tenant, existing.filing_id);
    return readFiling(deps, tenant, existing.filing_id);
  }
  if (checklist.status !== 'approved' || !GRANTED.includes(approval.status))
    throw new ConflictError(
      `Checklist ${checklist.checklist_id} is ${checklist.status} and approval ${approval.approval_id} ${approval.status}: a filing is produced only once the approval is granted`,
      'approval_not_granted',
    );
  if (!isFormType(checklist.form_type))
    throw new ConflictError(`No filing form ${checklist.form_type}`, 'unknown_form_type');
  const entityLabel = checklist.entity_label as 'Well' | 'Lease';
  const [artifacts, facts] = await Promise.all([
    artifactRows(checklistsOf(deps), tenant, checklist.checklist_id),
    Promise.resolve(deps.caller(tenant)).then((caller) =>
      deps.facts.collect(
        caller,
        tenant,
        { label: entityLabel, id: checklist.entity_id },
        checklist.form_type as 'R-32',
      ),
    ),
  ]);
  const evidence = artifacts.map(artifactView);
  const filingId = newFilingId();
  const producedAt = approval.decided_at ?? checklist.decided_at ?? new Date(deps.now()).toISOString();
  const source: FilingSource = {
    filing_id: filingId,
    form_type: checklist.form_type,
    title: checklist.title,
    checklist: {
      checklist_id: checklist.checklist_id,
      template_id: checklist.template_id,
      template_version: checklist.template_version,
      title: checklist.title,
      entity_label: checklist.entity_label,
      entity_id: checklist.entity_id,
      submitted_at: checklist.submitted_at,
      decided_at: checklist.decided_at,
    },
    items: checklist.items.map((i) => ({
      index: i.index,
      label: i.label,
      item_type: i.item_type,
      required: i.required,
      status: i.status,
      notes: i.notes,
      exception_reason: i.exception_reason,
      evidence: evidence
        .filter((a) => a.item_index === i.index)
        .map((a) => ({
          artifact_id: a.artifact_id,
          filename: a.filename,
          media_type: a.media_type,
          size_bytes: a.size_bytes,
          sha256: a.sha256,
        })),
    })),
    exceptions: checklist.exceptions.map((e) => ({
      item_index: e.item_index,
      reason: e.reason,
      created_by: e.created_by,
    })),
    facts,
    approval: {
      approval_id: approval.approval_id,
      decision: approval.status,
      reviewer: approval.decided_by ?? null,
      decided_at: producedAt,
      notes: approval.notes ?? null,
    },
    produced_at: producedAt,
  };
  const pdf = Buffer.from(await renderFilingPdf(source));
  const at = new Date(deps.now()).toISOString();
  const actor = approval.decided_by ?? 'service:orchestration';
  try {
    await deps.store.transaction((tx) =>
      insertFiling(
        tx,
        {
          filing_id: filingId,
          tenant_id: tenant,
          checklist_id: checklist.checklist_id,
          approval_id: approval.approval_id,
          form_type: checklist.form_type,
          entity_label: checklist.entity_label,
          entity_id: checklist.entity_id,
          title: checklist.title,
          status: 'draft',
          source: canonicalJson(source),
          source_sha256: sourceDigest(source),
          document: pdf.toString('base64'),
          document_sha256: createHash('sha256').update(pdf).digest('hex'),
          document_bytes: pdf.length,
          created_by: actor,
          created_at: at,
          updated_at: at,
          version: 1,
        },
        {
          tenant_id: tenant,
          filing_id: filingId,
          seq: 1,
          from_status: null,
          to_status: 'draft',
          actor_id: actor,
          reason: null,
          at,
          audit_seq: null,
        },
      ),
    );
  } catch (err) {
    // A concurrent producer stored it first (the unique checklist + approval index): answer its package.
    const winner = await findFiling(deps.store, tenant, checklist.checklist_id, approval.approval_id);
    if (!winner) throw err;
    return readFiling(deps, tenant, winner.filing_id);
  }
  await flushFilingAudit(deps, tenant);
  return readFiling(deps, tenant, filingId);
}

/**
 * What the orchestration's approval-outbox consumer calls for every `approval_decided` event, right
 * after `onChecklistApprovalDecided` (whatever that answered: a replayed event finds the checklist
 * already approved and still gets its package): the package of the checklist this approval granted,
 * or undefined when the approval is not a checklist's or was not granted.
 */
export async function onFilingApprovalDecided(
  deps: FilingDeps,
  tenant: string,
  approval: GrantedApproval,
): Promise<FilingView | undefined> {
  if (!GRANTED.includes(approval.status)) return undefined;
  const row = await findChecklistByApproval(checklistsOf(deps), tenant, approval.approval_id);
  if (!row || row.status !== 'approved') return undefined;
  return produceFiling(
    deps,
    tenant,
    await getChecklist({ store: checklistsOf(deps) }, tenant, row.checklist_id),
    approval,
  );
}
