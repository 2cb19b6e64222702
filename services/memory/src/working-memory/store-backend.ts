import {
  mergeFields,
  serializedBytes,
  WORKING_MEMORY_MAX_BYTES,
  type FieldMap,
  type FieldPatch,
  type PutOutcome,
  type WorkingMemory,
  type WorkingMemoryBackend,
} from '../domain/working-memory';
import type { MemoryDb, MemoryStore, WorkingMemoryTable } from '../store/schema';

export interface StoreBackendOptions {
  store: MemoryStore;
  ttlMs: number;
  /** The clock (tests inject one to cross the TTL). */
  now?: () => number;
  maxBytes?: number;
}

/** Thrown inside the write's transaction so it rolls back: a refused write leaves nothing changed. */
class OverCap extends Error {
  constructor(readonly sizeBytes: number) {
    super('over the working-memory cap');
  }
}

/** An expired row's expiry: the placeholder a first write inserts is already expired, so it reads as
 * empty until the write fills it (and vanishes with the write's rollback). */
const EXPIRED = new Date(0).toISOString();

/**
 * Working memory in the service's own store (SQLite or PostgreSQL): one row per conversation with
 * the map as JSON text and `expires_at`. Expired rows are invisible to every call and deleted by
 * `purgeExpired` (and by a read that finds one). Writes lock the row (PostgreSQL `FOR UPDATE`; SQLite
 * transactions are serialised), so concurrent merges of one conversation never lose a field.
 */
export function createStoreBackend(options: StoreBackendOptions): WorkingMemoryBackend & {
  purgeExpired(): Promise<number>;
} {
  const { store, ttlMs } = options;
  const now = options.now ?? Date.now;
  const maxBytes = options.maxBytes ?? WORKING_MEMORY_MAX_BYTES;
  const iso = (ms: number) => new Date(ms).toISOString();

  const view = (row: Pick<WorkingMemoryTable, 'conversation_id' | 'fields' | 'size_bytes' | 'expires_at'>) =>
    ({
      conversation_id: row.conversation_id,
      fields: JSON.parse(row.fields) as FieldMap,
      size_bytes: Number(row.size_bytes),
      expires_at: row.expires_at,
    }) satisfies WorkingMemory;

  const rowOf = async (tx: MemoryDb, tenant: string, conversationId: string) => {
    let query = tx.db
      .selectFrom('working_memory')
      .selectAll()
      .where('tenant_id', '=', tenant)
      .where('conversation_id', '=', conversationId);
    if (tx.dialect === 'postgres') query = query.forUpdate();
    return query.executeTakeFirst();
  };

  const remove = (tx: MemoryDb, tenant: string, conversationId: string) =>
    tx.db
      .deleteFrom('working_memory')
      .where('tenant_id', '=', tenant)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();

  return {
    kind: 'store',

    get: (tenant, conversationId) =>
      store.transaction(async (tx) => {
        const at = now();
        const row = await rowOf(tx, tenant, conversationId);
        if (!row) return undefined;
        if (row.expires_at <= iso(at)) {
          await remove(tx, tenant, conversationId);
          return undefined;
        }
        const expiresAt = iso(at + ttlMs);
        await tx.db
          .updateTable('working_memory')
          .set({ expires_at: expiresAt })
          .where('tenant_id', '=', tenant)
          .where('conversation_id', '=', conversationId)
          .execute();
        return view({ ...row, expires_at: expiresAt });
      }),

    async put(tenant, conversationId, patch: FieldPatch): Promise<PutOutcome> {
      try {
        const memory = await store.transaction(async (tx) => {
          const at = now();
          await tx.db
            .insertInto('working_memory')
            .values({
              tenant_id: tenant,
              conversation_id: conversationId,
              fields: '{}',
              size_bytes: 2,
              expires_at: EXPIRED,
              updated_at: iso(at),
            })
            .onConflict((oc) => oc.columns(['tenant_id', 'conversation_id']).doNothing())
            .execute();
          const row = (await rowOf(tx, tenant, conversationId))!;
          const current = row.expires_at > iso(at) ? (JSON.parse(row.fields) as FieldMap) : {};
          const next = mergeFields(current, patch);
          const size = serializedBytes(next);
          if (size > maxBytes) throw new OverCap(size);
          if (Object.keys(next).length === 0) {
            await remove(tx, tenant, conversationId);
            return undefined;
          }
          const values = {
            fields: JSON.stringify(next),
            size_bytes: size,
            expires_at: iso(at + ttlMs),
            updated_at: iso(at),
          };
          await tx.db
            .updateTable('working_memory')
            .set(values)
            .where('tenant_id', '=', tenant)
            .where('conversation_id', '=', conversationId)
            .execute();
          return view({ conversation_id: conversationId, ...values });
        });
        return { ok: true, memory };
      } catch (err) {
        if (err instanceof OverCap) return { ok: false, sizeBytes: err.sizeBytes };
        throw err;
      }
    },

    async delete(tenant, conversationId) {
      const live = await store.transaction(async (tx) => {
        const row = await rowOf(tx, tenant, conversationId);
        if (!row) return false;
        await remove(tx, tenant, conversationId);
        return row.expires_at > iso(now());
      });
      return live;
    },

    async purgeExpired() {
      const result = await store.db
        .deleteFrom('working_memory')
        .where('expires_at', '<=', iso(now()))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    close: async () => {},
  };
}
