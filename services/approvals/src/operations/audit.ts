import { verifyChain, type AuditEntry, type ChainFailure } from '../audit/chain';
import { snapshotDigest, type Snapshot } from '../domain/snapshot';
import { approvalRow } from '../store/approvals';
import { readChain } from '../store/tenant-writer';
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
