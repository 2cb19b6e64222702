import { listPage, type PageParams, type Selectable, type Updateable } from '@aegis/common';
import type { TokenUsage } from '../planner/types';
import type { OrchestrationDb, RunsTable, RunStepsTable, ToolCallsTable } from './schema';

export const RUN_STATUSES = [
  'running',
  'awaiting_approval',
  'completed',
  'failed',
  'cancelled',
  'rejected',
  'budget_exceeded',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these holds its conversation: no second run starts until it ends. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['running', 'awaiting_approval'];

export interface RunRecord {
  run_id: string;
  conversation_id: string;
  agent_id: string;
  agent_type: string;
  agent_version: number;
  planner: string;
  user_id: string;
  user_message: string;
  status: RunStatus;
  response: string | null;
  token_usage: TokenUsage;
  cost_usd: number;
  tools_called: string[];
  skills_injected: string[];
  approval_id: string | null;
  error: { code: string; message: string } | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type RunRow = Selectable<RunsTable>;
export type RunPatch = Updateable<RunsTable>;
export type RunSortColumn = 'created_at';

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function toRunRecord(row: RunRow): RunRecord {
  return {
    run_id: row.run_id,
    conversation_id: row.conversation_id,
    agent_id: row.agent_id,
    agent_type: row.agent_type,
    agent_version: Number(row.agent_version),
    planner: row.planner,
    user_id: row.user_id,
    user_message: row.user_message,
    status: row.status as RunStatus,
    response: row.response,
    token_usage: {
      prompt_tokens: Number(row.prompt_tokens),
      completion_tokens: Number(row.completion_tokens),
      total_tokens: Number(row.total_tokens),
    },
    cost_usd: Number(row.cost_usd),
    tools_called: JSON.parse(row.tools_called) as string[],
    skills_injected: JSON.parse(row.skills_injected) as string[],
    approval_id: row.approval_id,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    finished_at: row.finished_at,
  };
}

/** A new run row: `running`, nothing spent or recorded yet. */
export function newRunRow(
  run: Pick<
    RunRow,
    | 'run_id'
    | 'tenant_id'
    | 'conversation_id'
    | 'agent_id'
    | 'agent_type'
    | 'agent_version'
    | 'planner'
    | 'user_id'
    | 'user_message'
    | 'request_context'
    | 'created_at'
  >,
): RunRow {
  return {
    ...run,
    status: 'running',
    response: null,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    cost_usd: 0,
    tools_called: '[]',
    skills_injected: '[]',
    approval_id: null,
    pending: null,
    error_code: null,
    error_message: null,
    version: 1,
    updated_at: run.created_at,
    finished_at: null,
  };
}

export async function insertRun({ db }: OrchestrationDb, row: RunRow): Promise<void> {
  await db.insertInto('runs').values(row).execute();
}

export async function findRunRow(
  { db }: OrchestrationDb,
  tenant: string,
  runId: string,
): Promise<RunRow | undefined> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('run_id', '=', runId)
    .executeTakeFirst();
}

/** The run holding the conversation (running or paused at an approval), if any. */
export async function activeRunRow(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
): Promise<RunRow | undefined> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId)
    .where('status', 'in', [...ACTIVE_STATUSES])
    .executeTakeFirst();
}

export async function listRuns(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
  filters: { status?: string },
  params: PageParams<RunSortColumn>,
): Promise<{ rows: RunRecord[]; total: number }> {
  let query = db
    .selectFrom('runs')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId);
  if (filters.status) query = query.where('status', '=', filters.status);
  const { rows, total } = await listPage(query, params, { tiebreaker: 'run_id' });
  return { rows: rows.map(toRunRecord), total };
}

/**
 * Changes a run only if it is still in one of `from` (and at `version`, when given), bumping its
 * version: of a resume, a cancel and a finishing run racing, exactly one wins. False when it lost.
 */
export async function updateRun(
  { db }: OrchestrationDb,
  tenant: string,
  runId: string,
  from: { status: readonly RunStatus[]; version?: number },
  patch: RunPatch,
): Promise<boolean> {
  let query = db
    .updateTable('runs')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', tenant)
    .where('run_id', '=', runId)
    .where('status', 'in', [...from.status]);
  if (from.version !== undefined) query = query.where('version', '=', from.version);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Tenants with runs paused at an approval (the resume loop's work list). */
export async function tenantsWithPausedRuns({ db }: OrchestrationDb): Promise<string[]> {
  const rows = await db
    .selectFrom('runs')
    .select('tenant_id')
    .distinct()
    .where('status', '=', 'awaiting_approval')
    .execute();
  return rows.map((r) => r.tenant_id);
}

export async function pausedRuns(
  { db }: OrchestrationDb,
  tenant: string,
): Promise<{ run_id: string; approval_id: string | null }[]> {
  return db
    .selectFrom('runs')
    .select(['run_id', 'approval_id'])
    .where('tenant_id', '=', tenant)
    .where('status', '=', 'awaiting_approval')
    .execute();
}

export type StepRow = Selectable<RunStepsTable>;
export type ToolCallRow = Selectable<ToolCallsTable>;

export async function insertStep({ db }: OrchestrationDb, row: StepRow): Promise<void> {
  await db.insertInto('run_steps').values(row).execute();
}

export async function insertToolCall({ db }: OrchestrationDb, row: ToolCallRow): Promise<void> {
  await db.insertInto('tool_calls').values(row).execute();
}

export async function updateToolCall(
  { db }: OrchestrationDb,
  tenant: string,
  runId: string,
  seq: number,
  patch: Updateable<ToolCallsTable>,
): Promise<void> {
  await db
    .updateTable('tool_calls')
    .set(patch)
    .where('tenant_id', '=', tenant)
    .where('run_id', '=', runId)
    .where('seq', '=', seq)
    .execute();
}

export async function stepsOf({ db }: OrchestrationDb, tenant: string, runId: string): Promise<StepRow[]> {
  return db
    .selectFrom('run_steps')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
}

export async function toolCallsOf(
  { db }: OrchestrationDb,
  tenant: string,
  runId: string,
): Promise<ToolCallRow[]> {
  return db
    .selectFrom('tool_calls')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
}

export { parse as parseJsonColumn };

/** Runs still `running` whose last write is older than `before` (the service stopped under them). */
export async function staleRuns(
  { db }: OrchestrationDb,
  before: string,
): Promise<{ tenant_id: string; run_id: string; conversation_id: string; agent_id: string }[]> {
  return db
    .selectFrom('runs')
    .select(['tenant_id', 'run_id', 'conversation_id', 'agent_id'])
    .where('status', '=', 'running')
    .where('updated_at', '<', before)
    .execute();
}

/** A cancelled or interrupted run's calls that were still running end `cancelled` in its trace. */
export async function cancelRunningToolCalls(
  { db }: OrchestrationDb,
  tenant: string,
  runId: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('tool_calls')
    .set({ status: 'cancelled', ended_at: at })
    .where('tenant_id', '=', tenant)
    .where('run_id', '=', runId)
    .where('status', '=', 'running')
    .execute();
}
