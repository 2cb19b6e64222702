import type { Migration, Queryable, Store } from '@aegis/common';

/**
 * The workspace tables: one row per assessment of a checklist, one per assessed item (with the
 * evidence the tool used), and the assessment's events numbered per checklist (`seq`, the stream's
 * `id:`). Every table has `tenant_id` and every query filters on it. Times are RFC 3339 UTC strings;
 * JSON columns are text.
 */
export interface WorkspaceAssessmentsTable {
  assessment_id: string;
  tenant_id: string;
  checklist_id: string;
  agent_id: string;
  agent_version: number;
  /** `queued | running | completed | failed | cancelled`. */
  status: string;
  requested_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Renewed while the assessment runs; an active assessment not renewed for a while was abandoned
   * (its process stopped) and a new POST takes over. */
  heartbeat_at: string;
  error_code: string | null;
  error_message: string | null;
  /** JSON: counts by outcome, filled when it ends. */
  summary: string | null;
}

export interface WorkspaceItemResultsTable {
  tenant_id: string;
  assessment_id: string;
  checklist_id: string;
  item_index: number;
  /** `passed | action_needed | needs_human | not_assessed | error`. */
  outcome: string;
  status_before: string;
  status_after: string;
  note: string;
  /** JSON evidence: tool name, arguments, result summary, figures, timestamps (see views.ts). */
  evidence: string;
  assessed_at: string;
}

export interface WorkspaceEventsTable {
  tenant_id: string;
  checklist_id: string;
  seq: number;
  assessment_id: string;
  event_type: string;
  /** JSON of the event's data (without `event_type`). */
  data: string;
  created_at: string;
}

export interface WorkspacesDatabase {
  workspace_assessments: WorkspaceAssessmentsTable;
  workspace_item_results: WorkspaceItemResultsTable;
  workspace_events: WorkspaceEventsTable;
}
export type WorkspacesDb = Queryable<WorkspacesDatabase>;
export type WorkspacesStore = Store<WorkspacesDatabase>;

/** Statuses of an assessment that still runs: at most one per checklist (a partial unique index
 * enforces it across replicas). */
export const ACTIVE_STATUSES = ['queued', 'running'] as const;

/** SQL both SQLite and PostgreSQL accept; ids prefixed `workspaces_` so they concatenate with the
 * orchestration's other migrations without colliding. */
export const WORKSPACES_MIGRATIONS: readonly Migration[] = [
  {
    id: 'workspaces_0001_assessments',
    up: `
      CREATE TABLE workspace_assessments (
        assessment_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        agent_version INTEGER NOT NULL,
        status TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        heartbeat_at TEXT NOT NULL,
        error_code TEXT,
        error_message TEXT,
        summary TEXT
      );
      CREATE INDEX workspace_assessments_checklist ON workspace_assessments (tenant_id, checklist_id, created_at);
      CREATE UNIQUE INDEX workspace_assessments_active ON workspace_assessments (tenant_id, checklist_id)
        WHERE status IN ('queued', 'running');
      CREATE TABLE workspace_item_results (
        tenant_id TEXT NOT NULL,
        assessment_id TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        item_index INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        status_before TEXT NOT NULL,
        status_after TEXT NOT NULL,
        note TEXT NOT NULL,
        evidence TEXT NOT NULL,
        assessed_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, assessment_id, item_index)
      );
      CREATE TABLE workspace_events (
        tenant_id TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        assessment_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, checklist_id, seq)
      );
    `,
  },
];

export type AssessmentRow = WorkspaceAssessmentsTable;
export type ItemResultRow = WorkspaceItemResultsTable;
export type EventRow = WorkspaceEventsTable;

export async function insertAssessment(db: WorkspacesDb, row: AssessmentRow): Promise<void> {
  await db.db.insertInto('workspace_assessments').values(row).execute();
}

/** A checklist's assessments (the query each reader narrows). */
function checklistAssessments(db: WorkspacesDb, tenant: string, checklistId: string) {
  return db.db
    .selectFrom('workspace_assessments')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId);
}

/** A checklist's event log (the query each reader narrows). */
function checklistEvents(db: WorkspacesDb, tenant: string, checklistId: string) {
  return db.db
    .selectFrom('workspace_events')
    .where('tenant_id', '=', tenant)
    .where('checklist_id', '=', checklistId);
}

export async function activeAssessment(
  db: WorkspacesDb,
  tenant: string,
  checklistId: string,
): Promise<AssessmentRow | undefined> {
  return checklistAssessments(db, tenant, checklistId)
    .where('status', 'in', ACTIVE_STATUSES)
    .executeTakeFirst();
}

export async function latestAssessment(
  db: WorkspacesDb,
  tenant: string,
  checklistId: string,
): Promise<AssessmentRow | undefined> {
  return checklistAssessments(db, tenant, checklistId)
    .orderBy('created_at', 'desc')
    .orderBy('assessment_id', 'desc')
    .executeTakeFirst();
}

export async function updateAssessment(
  db: WorkspacesDb,
  tenant: string,
  assessmentId: string,
  patch: Partial<Omit<AssessmentRow, 'assessment_id' | 'tenant_id' | 'checklist_id'>>,
): Promise<void> {
  await db.db
    .updateTable('workspace_assessments')
    .set(patch)
    .where('tenant_id', '=', tenant)
    .where('assessment_id', '=', assessmentId)
    .execute();
}

export async function insertItemResult(db: WorkspacesDb, row: ItemResultRow): Promise<void> {
  await db.db.insertInto('workspace_item_results').values(row).execute();
}

export async function itemResults(
  db: WorkspacesDb,
  tenant: string,
  assessmentId: string,
): Promise<ItemResultRow[]> {
  return db.db
    .selectFrom('workspace_item_results')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('assessment_id', '=', assessmentId)
    .orderBy('item_index')
    .execute();
}

export async function insertEvent(db: WorkspacesDb, row: EventRow): Promise<void> {
  await db.db.insertInto('workspace_events').values(row).execute();
}

/** The last seq of a checklist's event log (0 when it has none). */
export async function lastEventSeq(db: WorkspacesDb, tenant: string, checklistId: string): Promise<number> {
  const row = await checklistEvents(db, tenant, checklistId)
    .select((eb) => eb.fn.max<number | string | null>('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** The first seq of an assessment's events (undefined before its first event is written). */
export async function firstEventSeq(
  db: WorkspacesDb,
  tenant: string,
  checklistId: string,
  assessmentId: string,
): Promise<number | undefined> {
  const row = await checklistEvents(db, tenant, checklistId)
    .select((eb) => eb.fn.min<number | string | null>('seq').as('seq'))
    .where('assessment_id', '=', assessmentId)
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? undefined : Number(row.seq);
}

/** Events of a checklist after `afterSeq`, oldest first. */
export async function eventsAfter(
  db: WorkspacesDb,
  tenant: string,
  checklistId: string,
  afterSeq: number,
  limit: number,
): Promise<EventRow[]> {
  return checklistEvents(db, tenant, checklistId)
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
