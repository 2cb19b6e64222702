import type { ApprovalsDb, ApprovalsStore } from './schema';
import { GENESIS_MAC, macOf, type AuditEntry } from '../audit/chain';

/** One audit entry to append: what happened, to which approval, by whom. */
export interface AuditDraft {
  approval_id: string | null;
  action: string;
  actor_id: string;
  data: Record<string, unknown>;
}

/** One decision event to publish. */
export interface OutboxDraft {
  approval_id: string;
  event_type: string;
  data: Record<string, unknown>;
}

/** The writes of one transaction of one tenant: its own statements through `tx`, audit entries chained
 * onto the tenant's chain, and outbox events numbered after the tenant's last. */
export interface TenantWriter {
  tx: ApprovalsDb;
  tenant: string;
  /** The transaction's time (RFC 3339). */
  at: string;
  audit(draft: AuditDraft): Promise<AuditEntry>;
  publish(draft: OutboxDraft): Promise<number>;
}

/**
 * Runs `fn` in one transaction holding the tenant's write lock: the first statement updates the tenant's
 * `audit_heads` row (created on first use), which PostgreSQL keeps locked until commit and SQLite
 * serialises anyway. So a tenant's writes never interleave: audit and outbox seqs grow by one, in commit
 * order, and a conditional update after the lock sees every earlier decision. Everything `fn` writes,
 * its audit entries and its outbox events commit together or not at all.
 */
export async function withTenantWriter<T>(
  store: ApprovalsStore,
  tenant: string,
  options: { now: number; key: { id: string; key: Buffer } },
  fn: (w: TenantWriter) => Promise<T>,
): Promise<T> {
  const at = new Date(options.now).toISOString();
  return store.transaction(async (tx) => {
    await tx.db
      .insertInto('audit_heads')
      .values({ tenant_id: tenant, audit_seq: 0, audit_mac: GENESIS_MAC, outbox_seq: 0, updated_at: at })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
    await tx.db.updateTable('audit_heads').set({ updated_at: at }).where('tenant_id', '=', tenant).execute();
    const head = await tx.db
      .selectFrom('audit_heads')
      .selectAll()
      .where('tenant_id', '=', tenant)
      .executeTakeFirstOrThrow();
    let auditSeq = Number(head.audit_seq);
    let auditMac = head.audit_mac;
    let outboxSeq = Number(head.outbox_seq);
    const writer: TenantWriter = {
      tx,
      tenant,
      at,
      async audit(draft) {
        const content = {
          tenant_id: tenant,
          seq: auditSeq + 1,
          approval_id: draft.approval_id,
          action: draft.action,
          actor_id: draft.actor_id,
          at,
          data: draft.data,
          key_id: options.key.id,
          prev_mac: auditMac,
        };
        const entry = { ...content, mac: macOf(options.key.key, content) };
        await tx.db
          .insertInto('audit_entries')
          .values({ ...entry, data: JSON.stringify(entry.data) })
          .execute();
        auditSeq = entry.seq;
        auditMac = entry.mac;
        return entry;
      },
      async publish(draft) {
        outboxSeq += 1;
        await tx.db
          .insertInto('approval_outbox')
          .values({
            tenant_id: tenant,
            seq: outboxSeq,
            approval_id: draft.approval_id,
            event_type: draft.event_type,
            data: JSON.stringify(draft.data),
            created_at: at,
          })
          .execute();
        return outboxSeq;
      },
    };
    const result = await fn(writer);
    await tx.db
      .updateTable('audit_heads')
      .set({ audit_seq: auditSeq, audit_mac: auditMac, outbox_seq: outboxSeq })
      .where('tenant_id', '=', tenant)
      .execute();
    return result;
  });
}

/** The tenant's whole chain in seq order and its head (seq 0 when the tenant has no entries). */
export async function readChain(
  { db }: ApprovalsDb,
  tenant: string,
): Promise<{ entries: AuditEntry[]; head: { seq: number; mac: string } }> {
  const head = await db
    .selectFrom('audit_heads')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .executeTakeFirst();
  const rows = await db
    .selectFrom('audit_entries')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .orderBy('seq')
    .execute();
  return {
    head: { seq: Number(head?.audit_seq ?? 0), mac: head?.audit_mac ?? GENESIS_MAC },
    entries: rows.map((r) => ({
      tenant_id: r.tenant_id,
      seq: Number(r.seq),
      approval_id: r.approval_id,
      action: r.action,
      actor_id: r.actor_id,
      at: r.at,
      data: parseData(r.data),
      key_id: r.key_id,
      prev_mac: r.prev_mac,
      mac: r.mac,
    })),
  };
}

/** Stored JSON that no longer parses (a row edited by hand) reads as a value the mac will refuse. */
function parseData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { unparsable: text };
  } catch {
    return { unparsable: text };
  }
}
