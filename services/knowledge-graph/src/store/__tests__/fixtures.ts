import { sql, type Store } from '@aegis/common';
import {
  applyItems,
  buildDemoDataset,
  migrateGraphStore,
  prepareBatch,
  seedDemoData,
  templateById,
} from '@aegis/knowledge-graph';

/** Shared fixtures of the knowledge-graph store contract: a fixed anchor date, fresh tenants, the demo
 * data set and a tenant seeded with it. */

export const ANCHOR = '2025-06-01';
export const NOW = '2025-06-01T12:00:00.000Z';
let tenantSeq = 0;
export const freshTenant = (prefix: string) => `${prefix}-${process.pid}-${(tenantSeq += 1)}`;

export async function run(store: Store, tenant: string, templateId: string, params: Record<string, unknown>) {
  const t = templateById(templateId);
  if (!t) throw new Error(`no template ${templateId}`);
  return (await t.run({ db: store, tenant, today: ANCHOR }, t.params.parse(params))) as Record<
    string,
    unknown
  >[];
}

export const demo = buildDemoDataset(ANCHOR);
export const wellAt = (lease: number, i: number) => {
  const w = demo.entities.filter((e) => e.label === 'Well')[lease * 5 + i];
  return { ...w, entity_id: w.entity_id ?? '' };
};
export const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.entity_id as string);

/** Migrates the store and seeds a fresh tenant once per suite; returns a getter for its name. */
export function seededTenant(getStore: () => Store): () => string {
  let tenant = '';
  beforeAll(async () => {
    await migrateGraphStore(getStore());
    tenant = freshTenant('seeded');
    await seedDemoData(getStore(), tenant, ANCHOR, NOW);
  });
  return () => tenant;
}

/** Prepares a batch as POST /entities/bulk does and applies it in one transaction (at NOW). */
export async function applyBatch(store: Store, tenant: string, body: Parameters<typeof prepareBatch>[2]) {
  const b = await prepareBatch(store, tenant, body);
  return store.transaction((tx) =>
    applyItems(
      tx,
      tenant,
      b.entities.map((e) => e.entity),
      b.edges,
      NOW,
    ),
  );
}

/** How many rows of `table` match `column = value` (raw SQL: the contract looks past the store API). */
export async function countRows(
  store: Store,
  table: 'kg_entities' | 'kg_edges' | 'kg_import_items' | 'kg_import_keys',
  column: 'tenant_id' | 'import_id',
  value: string,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(
    column,
  )} = ${value}`.execute(store.db);
  return Number(rows[0]?.n);
}
