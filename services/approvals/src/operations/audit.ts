import { ConflictError } from '@aegis/common';
import { verifyChain, type AuditEntry, type ChainFailure } from '../audit/chain';
import { snapshotDigest, type Snapshot } from '../domain/snapshot';
import { approvalRow } from '../store/approvals';
import { readChain, withTenantWriter } from '../store/tenant-writer';
import type { OperationDeps } from './deps';

export interface ApprovalAudit {
  approval_id: string;
  /** The tenant's whole chain verified, and the approval's snapshot is the one recorded at creation. */
  verified: boolean;
  first_failure: ChainFailure | null;
  chain: { tenant_id: string; entries: number; head_seq: number };
  /** This approval's entries, in order. */
  entries: Omit<AuditEntry, 'tenant_id'>[];
}

function storedSnapshotDigest(text: string): string {
  try {
    return snapshotDigest(JSON.parse(text) as Snapshot);
  } catch {
    return 'unparsable';
  }
}

/**
 * The approval's audit trail and its verification. Verification covers the tenant's whole chain, not
 * only this approval's entries: a deleted entry is only visible as a gap in the tenant's sequence, and
 * each mac chains to the previous entry of the tenant, whichever approval it belongs to. It then checks
 * that the stored snapshot still has the digest the `created` entry recorded.
 */
export async function approvalAudit(deps: OperationDeps, tenant: string, id: string): Promise<ApprovalAudit> {
  const row = await approvalRow(deps.store, tenant, id);
  const [{ entries, head }, keys] = await Promise.all([readChain(deps.store, tenant), deps.keys.all()]);
  const verdict = verifyChain(entries, head, keys);
  const own = entries.filter((e) => e.approval_id === id);
  let failure = verdict.first_failure;
  if (!failure) {
    const created = own.find((e) => e.action === 'created');
    if (!created) {
      failure = { seq: head.seq, approval_id: id, reason: 'the approval has no created entry' };
    } else if (created.data.snapshot_digest !== storedSnapshotDigest(row.snapshot)) {
      failure = {
        seq: created.seq,
        approval_id: id,
        reason: 'the stored snapshot differs from the one recorded at creation',
      };
    }
  }
  return {
    approval_id: id,
    verified: failure === null,
    first_failure: failure,
    chain: { tenant_id: tenant, entries: verdict.entries, head_seq: head.seq },
    entries: own.map(({ tenant_id: _tenant, ...e }) => e),
  };
}

/** An event appended to a granted approval's trail (`POST /approvals/{id}/audit`). */
export interface AuditEventInput {
  event: string;
  data: Record<string, unknown>;
}

/** What an event may be appended to: an approval whose decision granted the action. */
const GRANTED: readonly string[] = ['approved', 'modified'];

/**
 * Appends `event` to the tenant's chain as an entry of approval `id`, by `actor`, with the same writer
 * (and lock, key and mac) every other entry uses: the trail then shows what the granted action became
 * (a filing produced, submitted, rejected), and `GET /approvals/{id}/audit` verifies it with the rest.
 * 404 for an approval the tenant does not have; 409 `approval_not_granted` unless it was approved.
 */
export async function appendAuditEvent(
  deps: OperationDeps,
  tenant: string,
  id: string,
  actor: string,
  input: AuditEventInput,
): Promise<Omit<AuditEntry, 'tenant_id'>> {
  const key = await deps.keys.current();
  return withTenantWriter(deps.store, tenant, { now: deps.now(), key }, async (w) => {
    const row = await approvalRow(w.tx, tenant, id);
    if (!GRANTED.includes(row.status))
      throw new ConflictError(
        `Approval ${id} is ${row.status}: events are recorded only for a granted approval`,
        'approval_not_granted',
      );
    const { tenant_id: _tenant, ...entry } = await w.audit({
      approval_id: id,
      action: input.event,
      actor_id: actor,
      data: input.data,
    });
    return entry;
  });
}
