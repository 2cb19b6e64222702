import type { ChecklistArtifactsTable, ChecklistsDb } from './schema';

export type ArtifactRow = ChecklistArtifactsTable;

export async function insertArtifact(db: ChecklistsDb, row: ArtifactRow): Promise<void> {
  await db.db.insertInto('checklist_artifacts').values(row).execute();
}

/** The artifacts of a checklist (of one item when `itemIndex` is given), oldest first. */
export async function artifactRows(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
  itemIndex?: number,
): Promise<ArtifactRow[]> {
  let query = db.db
    .selectFrom('checklist_artifacts')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId);
  if (itemIndex !== undefined) query = query.where('item_index', '=', itemIndex);
  const rows = await query.orderBy('item_index').orderBy('created_at').orderBy('artifact_id').execute();
  return rows.map((r) => ({ ...r, size_bytes: Number(r.size_bytes) }));
}

export async function getArtifactRow(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
  itemIndex: number,
  artifactId: string,
): Promise<ArtifactRow | undefined> {
  const row = await db.db
    .selectFrom('checklist_artifacts')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .where('item_index', '=', itemIndex)
    .where('artifact_id', '=', artifactId)
    .executeTakeFirst();
  return row && { ...row, size_bytes: Number(row.size_bytes) };
}

export async function deleteArtifactRow(
  db: ChecklistsDb,
  tenant: string,
  artifactId: string,
): Promise<boolean> {
  const result = await db.db
    .deleteFrom('checklist_artifacts')
    .where('tenant_id', '=', tenant)
    .where('artifact_id', '=', artifactId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Artifacts per item index of a checklist. */
export async function artifactCounts(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
): Promise<Map<number, number>> {
  const rows = await db.db
    .selectFrom('checklist_artifacts')
    .select(['item_index', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .groupBy('item_index')
    .execute();
  return new Map(rows.map((r) => [Number(r.item_index), Number(r.n)]));
}
