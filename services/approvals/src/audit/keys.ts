import { randomBytes } from 'node:crypto';
import type { Sealer } from '@aegis/common';
import type { ApprovalsDb } from '../store/schema';
import { keyIdOf } from './chain';

/** The audit chain's HMAC keys: the one new entries are made with, and every key entries may name. */
export interface AuditKeys {
  /** The key new entries are made with. */
  current(): Promise<{ id: string; key: Buffer }>;
  /** Every key that made entries (the configured one and the stored ones), by id, read afresh. */
  all(): Promise<Map<string, Buffer>>;
}

export interface AuditKeysOptions {
  store: ApprovalsDb;
  /** AUDIT_HMAC_KEY: when set, new entries use it and no key is generated. */
  configured?: Buffer;
  /** Seals the generated key at rest (AUDIT_KEY_ENCRYPTION_KEY), as auth seals its signing keys. */
  sealer: Sealer;
  now?: () => number;
}

async function storedKeys(db: ApprovalsDb, sealer: Sealer): Promise<{ id: string; key: Buffer }[]> {
  const rows = await db.db
    .selectFrom('audit_keys')
    .selectAll()
    .orderBy('created_at')
    .orderBy('key_id')
    .execute();
  return rows.map((r) => ({ id: r.key_id, key: Buffer.from(sealer.open(r.secret), 'base64') }));
}

/**
 * The audit keys over the store. Without a configured key, the first call generates a 32-byte key and
 * stores it sealed; replicas starting together may each store one, and then all use the oldest (every
 * stored key stays known to verification, so entries made before they agreed still verify).
 */
export function createAuditKeys(options: AuditKeysOptions): AuditKeys {
  const { store, sealer } = options;
  const now = options.now ?? Date.now;
  let current: { id: string; key: Buffer } | undefined = options.configured
    ? { id: keyIdOf(options.configured), key: options.configured }
    : undefined;

  const generate = async (): Promise<{ id: string; key: Buffer }> => {
    const existing = await storedKeys(store, sealer);
    if (existing.length > 0) return existing[0];
    const key = randomBytes(32);
    await store.db
      .insertInto('audit_keys')
      .values({
        key_id: keyIdOf(key),
        secret: sealer.seal(key.toString('base64')),
        created_at: new Date(now()).toISOString(),
      })
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
    return (await storedKeys(store, sealer))[0];
  };

  return {
    async current() {
      current ??= await generate();
      return current;
    },
    async all() {
      const keys = new Map((await storedKeys(store, sealer)).map((k) => [k.id, k.key] as const));
      if (options.configured) keys.set(keyIdOf(options.configured), options.configured);
      return keys;
    },
  };
}
