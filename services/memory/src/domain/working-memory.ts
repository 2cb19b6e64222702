/** Working memory: one field map per conversation (spec §8 memory). Pure rules shared by both
 * backends, so the embedded store and Redis merge, measure and refuse exactly alike (ADR 0021). */

/** A JSON value as stored in one field. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A conversation's working memory: field name → JSON value. */
export type FieldMap = Record<string, JsonValue>;

/** A PUT body's fields: a value replaces the field; `null` deletes it. */
export type FieldPatch = Record<string, JsonValue>;

/** Spec §8: the stored map may not exceed 64 KB (65 536 bytes, measured by `serializedBytes`). */
export const WORKING_MEMORY_MAX_BYTES = 64 * 1024;

/** Spec §8: working memory lives 24 h after its last access. */
export const WORKING_MEMORY_TTL_SECONDS = 24 * 60 * 60;

/**
 * The size of a stored map: the UTF-8 bytes of its compact JSON serialisation, `JSON.stringify(map)`
 * (no whitespace; the order of the fields does not change the count). `{}` is 2 bytes.
 */
export function serializedBytes(map: FieldMap): number {
  return Buffer.byteLength(JSON.stringify(map), 'utf8');
}

/** A shallow merge: each field of the patch replaces the stored one, a `null` deletes it, and the
 * fields the patch does not name are kept. Nested objects are replaced whole, never merged. */
export function mergeFields(current: FieldMap, patch: FieldPatch): FieldMap {
  // A Map, then own data properties: a field named `__proto__` is a field like any other.
  const next = new Map(Object.entries(current));
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) next.delete(name);
    else next.set(name, value);
  }
  return Object.fromEntries(next);
}

/** What a write returns and a read shows. `expires_at` is when the map disappears unless accessed. */
export interface WorkingMemory {
  conversation_id: string;
  fields: FieldMap;
  size_bytes: number;
  expires_at: string;
}

/** The outcome of a PUT: the new map, or a refusal because it would exceed the cap (nothing changed). */
export type PutOutcome = { ok: true; memory: WorkingMemory | undefined } | { ok: false; sizeBytes: number };

/** One interface over the two backends (the service's store, or Redis when REDIS_URL is set). */
export interface WorkingMemoryBackend {
  readonly kind: 'store' | 'redis';
  /** The map, its expiry pushed to now + TTL; undefined when there is none (or it expired). */
  get(tenant: string, conversationId: string): Promise<WorkingMemory | undefined>;
  /** Merges the patch atomically. A result over the cap changes nothing (not even the expiry). An empty
   * result deletes the map (memory undefined). */
  put(tenant: string, conversationId: string, patch: FieldPatch): Promise<PutOutcome>;
  /** Deletes the map; false when there was none. */
  delete(tenant: string, conversationId: string): Promise<boolean>;
  close(): Promise<void>;
}
