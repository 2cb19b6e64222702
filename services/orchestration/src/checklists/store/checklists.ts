import { containsText, listPage, type PageParams } from '@aegis/common';
import { EDITABLE_STATUSES, type ChecklistStatus } from '../domain';
import type { ChecklistItemsTable, ChecklistsDb, ChecklistsTable, ChecklistExceptionsTable } from './schema';

export type ChecklistRow = ChecklistsTable;
export type ItemRow = ChecklistItemsTable;
export type ExceptionRow = ChecklistExceptionsTable;

/** Sortable columns of `GET /checklists` (the public names are the column names). */
export const CHECKLIST_SORTABLE = [
  'created_at',
  'updated_at',
  'title',
  'status',
  'entity_id',
  'form_type',
] as const;
export type ChecklistSortColumn = (typeof CHECKLIST_SORTABLE)[number];

export interface ChecklistFilters {
  status?: string;
  template_id?: string;
  entity_id?: string;
  form_type?: string;
  q?: string;
}

export async function insertChecklist(db: ChecklistsDb, row: ChecklistRow, items: ItemRow[]): Promise<void> {
  await db.db.insertInto('checklists').values(row).execute();
  if (items.length > 0) await db.db.insertInto('checklist_items').values(items).execute();
}

export async function getChecklistRow(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
): Promise<ChecklistRow | undefined> {
  return db.db
    .selectFrom('checklists')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .executeTakeFirst();
}

export async function findChecklistByApproval(
  db: ChecklistsDb,
  tenant: string,
  approvalId: string,
): Promise<ChecklistRow | undefined> {
  return db.db
    .selectFrom('checklists')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('approval_id', '=', approvalId)
    .executeTakeFirst();
}

export async function listChecklistRows(
  db: ChecklistsDb,
  tenant: string,
  filters: ChecklistFilters,
  params: PageParams<ChecklistSortColumn>,
): Promise<{ rows: ChecklistRow[]; total: number }> {
  let query = db.db.selectFrom('checklists').selectAll().where('tenant_id', '=', tenant);
  if (filters.status !== undefined) query = query.where('status', '=', filters.status);
  if (filters.template_id !== undefined) query = query.where('template_id', '=', filters.template_id);
  if (filters.entity_id !== undefined) query = query.where('entity_id', '=', filters.entity_id);
  if (filters.form_type !== undefined) query = query.where('form_type', '=', filters.form_type);
  if (filters.q !== undefined) query = query.where(containsText('title', filters.q));
  return listPage(query, params, { tiebreaker: 'checklist_id' });
}

export async function itemRows(
  db: ChecklistsDb,
  tenant: string,
  checklistIds: readonly string[],
): Promise<ItemRow[]> {
  if (checklistIds.length === 0) return [];
  return db.db
    .selectFrom('checklist_items')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('checklist_id', 'in', checklistIds)
    .orderBy('checklist_id')
    .orderBy('item_index')
    .execute();
}

export async function exceptionRows(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
): Promise<ExceptionRow[]> {
  return db.db
    .selectFrom('checklist_exceptions')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .orderBy('created_at')
    .orderBy('exception_id')
    .execute();
}

/**
 * Bumps the checklist's version when it is in one of `statuses` (by default the editable ones): the
 * guard every change of items and artifacts takes inside its transaction, so a change racing a
 * submission either lands before it (and the submission sees a new version) or is refused.
 * Returns the new version, or undefined when the checklist is not in those statuses.
 */
export async function touchChecklist(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
  at: string,
  statuses: readonly ChecklistStatus[] = EDITABLE_STATUSES,
): Promise<number | undefined> {
  const row = await db.db
    .updateTable('checklists')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .where('status', 'in', statuses)
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}

/** Updates the checklist when its version is still `expected`; false when someone changed it first. */
export async function updateChecklistIfVersion(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
  expected: number,
  patch: Partial<Omit<ChecklistRow, 'checklist_id' | 'tenant_id' | 'version'>>,
): Promise<boolean> {
  const result = await db.db
    .updateTable('checklists')
    .set({ ...patch, version: expected + 1 })
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateItem(
  db: ChecklistsDb,
  tenant: string,
  checklistId: string,
  index: number,
  patch: Partial<Pick<ItemRow, 'status' | 'notes' | 'exception_reason' | 'updated_by' | 'updated_at'>>,
): Promise<void> {
  await db.db
    .updateTable('checklist_items')
    .set(patch)
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .where('item_index', '=', index)
    .execute();
}

export async function insertException(db: ChecklistsDb, row: ExceptionRow): Promise<void> {
  await db.db.insertInto('checklist_exceptions').values(row).execute();
}
