import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '@aegis/common';

/** The mac a tenant's first entry chains to. */
export const GENESIS_MAC = '';

/** What an entry's mac covers: everything about it except the mac itself. */
export interface AuditContent {
  tenant_id: string;
  seq: number;
  approval_id: string | null;
  action: string;
  actor_id: string;
  at: string;
  data: Record<string, unknown>;
  key_id: string;
  prev_mac: string;
}

export interface AuditEntry extends AuditContent {
  mac: string;
}

/** The id of an HMAC key: the first 16 hex digits of its SHA-256, so an entry says which key made its
 * mac without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** HMAC-SHA256 (hex) over the canonical JSON of the entry's content, which includes its `seq` and the
 * previous entry's mac: editing, deleting or reordering an entry breaks its mac or the next one's. */
export function macOf(key: Buffer, content: AuditContent): string {
  return createHmac('sha256', key)
    .update(canonicalJson({ v: 1, ...content }))
    .digest('hex');
}

/** Where a chain first fails, and why. `seq` is the failing entry's (or, for entries missing at the
 * end, the head's), `approval_id` the approval it belongs to when there is an entry. */
export interface ChainFailure {
  seq: number;
  approval_id: string | null;
  reason: string;
}

export interface ChainVerdict {
  verified: boolean;
  first_failure: ChainFailure | null;
  /** Entries read. */
  entries: number;
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies one tenant's whole chain, read in `seq` order, against its head (the seq and mac of the last
 * entry written). Each entry must have the next seq (1, 2, 3…), chain to the previous entry's mac, and
 * carry the mac of its content under a known key; the last must be the head. The first violation is
 * returned:
 * - an edited entry fails its own mac;
 * - a deleted entry leaves a gap: the next entry has an unexpected seq;
 * - reordered entries (seqs swapped) chain to the wrong previous mac;
 * - entries deleted at the end no longer reach the head.
 */
export function verifyChain(
  entries: readonly AuditEntry[],
  head: { seq: number; mac: string },
  keys: ReadonlyMap<string, Buffer>,
): ChainVerdict {
  const fail = (seq: number, approval_id: string | null, reason: string): ChainVerdict => ({
    verified: false,
    first_failure: { seq, approval_id, reason },
    entries: entries.length,
  });
  let prevMac = GENESIS_MAC;
  for (const [i, entry] of entries.entries()) {
    const expected = i + 1;
    if (entry.seq !== expected) {
      return fail(
        entry.seq,
        entry.approval_id,
        `expected entry ${expected} here: an entry was removed or moved`,
      );
    }
    if (!sameMac(entry.prev_mac, prevMac)) {
      return fail(entry.seq, entry.approval_id, 'does not chain to the previous entry');
    }
    const key = keys.get(entry.key_id);
    if (!key) return fail(entry.seq, entry.approval_id, `made with an unknown key ${entry.key_id}`);
    const { mac, ...content } = entry;
    if (!sameMac(mac, macOf(key, content))) {
      return fail(entry.seq, entry.approval_id, 'content does not match its mac (edited)');
    }
    prevMac = mac;
  }
  if (entries.length !== head.seq || !sameMac(prevMac, head.mac)) {
    return fail(
      head.seq,
      null,
      `the chain ends at entry ${entries.length} but its head is entry ${head.seq}`,
    );
  }
  return { verified: true, first_failure: null, entries: entries.length };
}
