import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  parseApiNumber,
  ValidationError,
  type PageParams,
} from '@aegis/common';
import type { GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import { isEditable, itemTransitionRefusal, type ChecklistStatus, type ItemStatus } from './domain';
import { artifactCounts } from './store/artifacts';
import {
  exceptionRows,
  getChecklistRow,
  insertChecklist,
  itemRows,
  listChecklistRows,
  touchChecklist,
  updateChecklistIfVersion,
  updateItem,
  type ChecklistFilters,
  type ChecklistRow,
  type ChecklistSortColumn,
  type ItemRow,
} from './store/checklists';
import type { ChecklistsDb, ChecklistsStore } from './store/schema';
import type { EntityLabel } from './templates/schema';
import type { TemplateCatalog } from './templates/catalog';
import { exceptionView, itemView, summaryView, type ChecklistSummaryView, type ChecklistView } from './views';

/** `<prefix>-` and 24 hex digits (96 random bits). */
export function newId(prefix: 'chk' | 'art' | 'exc'): string {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}

export interface ChecklistOpsDeps {
  store: ChecklistsStore;
  templates: TemplateCatalog;
  /** When given, a new checklist's entity must exist in the knowledge graph (read as the caller). */
  kg?: KnowledgeGraphClient;
  now: () => number;
}

const iso = (deps: { now: () => number }) => new Date(deps.now()).toISOString();

export async function checklistView(
  db: ChecklistsDb,
  tenant: string,
  row: ChecklistRow,
): Promise<ChecklistView> {
  const [items, counts, exceptions] = await Promise.all([
    itemRows(db, tenant, [row.checklist_id]),
    artifactCounts(db, tenant, row.checklist_id),
    exceptionRows(db, tenant, row.checklist_id),
  ]);
  const views = items.map((i) => itemView(i, counts.get(Number(i.item_index)) ?? 0));
  return { ...summaryView(row, views), items: views, exceptions: exceptions.map(exceptionView) };
}

export async function requireChecklist(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
): Promise<ChecklistRow> {
  const row = await getChecklistRow(db, tenant, checklistId);
  if (!row) throw new NotFoundError('Checklist not found');
  return row;
}

export async function getChecklist(
  deps: Pick<ChecklistOpsDeps, 'store'>,
  tenant: string,
  checklistId: string,
): Promise<ChecklistView> {
  return checklistView(deps.store, tenant, await requireChecklist(deps.store, tenant, checklistId));
}

/** 409 unless the checklist's items and artifacts may change now. */
export function assertEditable(row: Pick<ChecklistRow, 'status' | 'checklist_id'>): void {
  if (!isEditable(row.status as ChecklistStatus))
    throw new ConflictError(
      `Checklist ${row.checklist_id} is ${row.status}: its items and artifacts cannot change`,
      'checklist_locked',
    );
}

/** Which graph entity an `entity_id` names: an API number is a Well (stored normalised), anything
 * else a Lease number; 422 when the template does not take that kind of entity. */
export function resolveEntity(
  entityId: string,
  accepted: readonly EntityLabel[],
): { label: EntityLabel; id: string } {
  const api = parseApiNumber(entityId);
  if (api.ok && accepted.includes('Well')) return { label: 'Well', id: api.value };
  // Digits only: meant as an API number, so its parse error is the answer (never a lease by accident).
  const meantAsApi = /^[0-9][0-9 -]*$/.test(entityId.trim());
  if (!meantAsApi && accepted.includes('Lease')) return { label: 'Lease', id: entityId.trim() };
  const expected = accepted.includes('Lease') ? 'an API number (well) or a lease id' : 'an API number (well)';
  throw ValidationError.single(
    ['body', 'entity_id'],
    `must be ${expected}${api.ok ? '' : `: ${api.reason}`}`,
  );
}

export interface NewChecklistInput {
  template_id: string;
  template_version?: number;
  entity_id: string;
  title?: string;
  notes?: string;
}

export async function createChecklist(
  deps: ChecklistOpsDeps,
  tenant: string,
  userId: string,
  input: NewChecklistInput,
  caller: () => GraphCaller,
): Promise<ChecklistView> {
  const template = deps.templates.get(input.template_id, input.template_version);
  if (!template)
    throw ValidationError.single(
      ['body', input.template_version === undefined ? 'template_id' : 'template_version'],
      `no checklist template ${input.template_id}${input.template_version === undefined ? '' : ` version ${input.template_version}`}`,
    );
  const entity = resolveEntity(input.entity_id, template.entity_labels);
  if (deps.kg && !(await deps.kg.getEntity(caller(), entity.label, entity.id)))
    throw ValidationError.single(
      ['body', 'entity_id'],
      `no ${entity.label} ${entity.id} in the knowledge graph`,
      'not_found',
    );
  const at = iso(deps);
  const checklistId = newId('chk');
  const row: ChecklistRow = {
    checklist_id: checklistId,
    tenant_id: tenant,
    template_id: template.template_id,
    template_version: template.version,
    form_type: template.form_type,
    agent_type: template.agent_type,
    entity_label: entity.label,
    entity_id: entity.id,
    title: input.title ?? `${template.form_type} — ${entity.label} ${entity.id}`,
    notes: input.notes ?? null,
    status: 'open',
    approval_id: null,
    rejection_reason: null,
    created_by: userId,
    created_at: at,
    updated_at: at,
    submitted_at: null,
    decided_at: null,
    version: 1,
  };
  const items: ItemRow[] = template.items.map((item, index) => ({
    tenant_id: tenant,
    checklist_id: checklistId,
    item_index: index,
    label: item.label,
    item_type: item.item_type,
    required: item.required ? 1 : 0,
    tool_name: item.tool_name,
    status: 'pending',
    notes: null,
    exception_reason: null,
    updated_by: null,
    updated_at: at,
  }));
  await deps.store.transaction((tx) => insertChecklist(tx, row, items));
  return checklistView(deps.store, tenant, row);
}

export async function listChecklists(
  deps: ChecklistOpsDeps,
  tenant: string,
  filters: ChecklistFilters,
  params: PageParams<ChecklistSortColumn>,
): Promise<{ rows: ChecklistSummaryView[]; total: number }> {
  const { rows, total } = await listChecklistRows(deps.store, tenant, filters, params);
  const items = await itemRows(
    deps.store,
    tenant,
    rows.map((r) => r.checklist_id),
  );
  return {
    total,
    rows: rows.map((r) =>
      summaryView(
        r,
        items.filter((i) => i.checklist_id === r.checklist_id).map((i) => itemView(i, 0)),
      ),
    ),
  };
}

/** `PATCH /checklists/{id}`: title and notes (any status but approved: they are not filed). */
export async function patchChecklist(
  deps: ChecklistOpsDeps,
  tenant: string,
  checklistId: string,
  patch: { title?: string; notes?: string | null },
): Promise<ChecklistView> {
  const at = iso(deps);
  await deps.store.transaction(async (tx) => {
    const row = await requireChecklist(tx, tenant, checklistId);
    if (row.status === 'approved')
      throw new ConflictError(`Checklist ${checklistId} is approved: it cannot change`, 'checklist_locked');
    const changed = await updateChecklistIfVersion(tx, tenant, checklistId, Number(row.version), {
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.notes === undefined ? {} : { notes: patch.notes }),
      updated_at: at,
    });
    if (!changed)
      throw new ConflictError('The checklist changed meanwhile: read it and try again', 'conflict');
  });
  return getChecklist(deps, tenant, checklistId);
}

/** `PATCH /checklists/{id}/items/{idx}`: a status transition (see domain.ts) and/or notes. */
export async function patchItem(
  deps: ChecklistOpsDeps,
  tenant: string,
  userId: string,
  checklistId: string,
  index: number,
  patch: { status?: ItemStatus; notes?: string | null },
): Promise<ChecklistView> {
  const at = iso(deps);
  await deps.store.transaction(async (tx) => {
    const row = await requireChecklist(tx, tenant, checklistId);
    const item = (await itemRows(tx, tenant, [checklistId])).find((i) => Number(i.item_index) === index);
    if (!item) throw new NotFoundError(`Checklist ${checklistId} has no item ${index}`);
    assertEditable(row);
    if (patch.status !== undefined) {
      const counts = await artifactCounts(tx, tenant, checklistId);
      const refusal = itemTransitionRefusal(
        {
          index,
          label: item.label,
          status: item.status as ItemStatus,
          required: Boolean(Number(item.required)),
          item_type: item.item_type,
        },
        patch.status,
        counts.get(index) ?? 0,
      );
      if (refusal) throw new ConflictError(refusal, 'illegal_transition');
    }
    if ((await touchChecklist(tx, tenant, checklistId, at)) === undefined)
      throw new ConflictError(
        `Checklist ${checklistId} changed meanwhile: read it and try again`,
        'conflict',
      );
    await updateItem(tx, tenant, checklistId, index, {
      ...(patch.status === undefined ? {} : { status: patch.status }),
      ...(patch.status === 'pending' && item.status === 'exception' ? { exception_reason: null } : {}),
      ...(patch.notes === undefined ? {} : { notes: patch.notes }),
      updated_by: userId,
      updated_at: at,
    });
  });
  return getChecklist(deps, tenant, checklistId);
}
