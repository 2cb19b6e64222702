import { listPage, type PageParams } from '@aegis/common';
import type { FilingEventsTable, FilingsDb, FilingsTable } from './schema';

export type FilingRow = FilingsTable;
export type FilingEventRow = FilingEventsTable;

/** Sortable columns of `GET /compliance/filings` (the public names are the column names). */
export const FILING_SORTABLE = ['created_at', 'updated_at', 'status', 'form_type', 'entity_id'] as const;
export type FilingSortColumn = (typeof FILING_SORTABLE)[number];

export interface FilingFilters {
  status?: string;
  form_type?: string;
  entity_id?: string;
  checklist_id?: string;
}

/** The list without the (large) document and source columns. */
const SUMMARY_COLUMNS = [
  'filing_id',
  'tenant_id',
  'checklist_id',
  'approval_id',
  'form_type',
  'entity_label',
  'entity_id',
  'title',
  'status',
  'source_sha256',
  'document_sha256',
  'document_bytes',
  'created_by',
  'created_at',
  'updated_at',
  'version',
] as const;
export type FilingSummaryRow = Pick<FilingRow, (typeof SUMMARY_COLUMNS)[number]>;

export async function insertFiling(db: FilingsDb, row: FilingRow, event: FilingEventRow): Promise<void> {
  await db.db.insertInto('filings').values(row).execute();
  await db.db.insertInto('filing_events').values(event).execute();
}

export async function getFilingRow(
  db: FilingsDb,
  tenant: string,
  id: string,
): Promise<FilingRow | undefined> {
  return db.db
    .selectFrom('filings')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('filing_id', '=', id)
    .executeTakeFirst();
}

export async function findFiling(
  db: FilingsDb,
  tenant: string,
  checklistId: string,
  approvalId: string,
): Promise<FilingRow | undefined> {
  return db.db
    .selectFrom('filings')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId)
    .where('approval_id', '=', approvalId)
    .executeTakeFirst();
}

export async function listFilingRows(
  db: FilingsDb,
  tenant: string,
  filters: FilingFilters,
  params: PageParams<FilingSortColumn>,
): Promise<{ rows: FilingSummaryRow[]; total: number }> {
  let query = db.db.selectFrom('filings').select(SUMMARY_COLUMNS).where('tenant_id', '=', tenant);
  if (filters.status !== undefined) query = query.where('status', '=', filters.status);
  if (filters.form_type !== undefined) query = query.where('form_type', '=', filters.form_type);
  if (filters.entity_id !== undefined) query = query.where('entity_id', '=', filters.entity_id);
  if (filters.checklist_id !== undefined) query = query.where('checklist_id', '=', filters.checklist_id);
  return listPage(query, params, { tiebreaker: 'filing_id' });
}

/** Moves a filing from `from` at `version` to `to`; false when it changed meanwhile. */
export async function updateStatusIfVersion(
  db: FilingsDb,
  tenant: string,
  id: string,
  expected: number,
  status: string,
  at: string,
): Promise<boolean> {
  const result = await db.db
    .updateTable('filings')
    .set({ status, updated_at: at, version: expected + 1 })
    .where('tenant_id', '=', tenant)
    .where('filing_id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function eventRows(db: FilingsDb, tenant: string, filingId: string): Promise<FilingEventRow[]> {
  return db.db
    .selectFrom('filing_events')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('filing_id', '=', filingId)
    .orderBy('seq')
    .execute();
}

export async function insertEvent(db: FilingsDb, event: FilingEventRow): Promise<void> {
  await db.db.insertInto('filing_events').values(event).execute();
}

/** The tenant's status changes not yet in the approvals audit trail, oldest first. */
export async function unauditedEvents(
  db: FilingsDb,
  tenant: string,
  filingId?: string,
): Promise<FilingEventRow[]> {
  let query = db.db
    .selectFrom('filing_events')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('audit_seq', 'is', null);
  if (filingId !== undefined) query = query.where('filing_id', '=', filingId);
  return query.orderBy('at').orderBy('filing_id').orderBy('seq').execute();
}

export async function markAudited(
  db: FilingsDb,
  tenant: string,
  filingId: string,
  seq: number,
  auditSeq: number,
): Promise<void> {
  await db.db
    .updateTable('filing_events')
    .set({ audit_seq: auditSeq })
    .where('tenant_id', '=', tenant)
    .where('filing_id', '=', filingId)
    .where('seq', '=', seq)
    .execute();
}
