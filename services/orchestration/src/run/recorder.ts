import { randomBytes } from 'node:crypto';
import { isUniqueViolation, sql } from '@aegis/common';
import type { TokenUsage } from '../planner/types';
import { insertEvent } from '../store/run-events';
import { insertStep, insertToolCall, updateRun, updateToolCall, type RunPatch } from '../store/runs';
import type { OrchestrationDb, ToolCallsTable } from '../store/schema';
import { addDailyUsage, dailyUsage } from '../store/usage';
import { utcDay, type Spent } from './budget';
import { conversationKey, type EngineDeps } from './deps';
import type { RunEvent } from './events';

/** Receives each event of a run as it is stored, with its stream id. */
export type EventListener = (event: RunEvent, seq: number) => void;

/** Thrown inside a run when it is no longer `running` in the store (cancelled, here or elsewhere). */
export class RunStopped extends Error {
  constructor(readonly runId: string) {
    super(`Run ${runId} is no longer running`);
  }
}

export const newId = (prefix: string): string => `${prefix}-${randomBytes(12).toString('hex')}`;

/** Next seq of a per-run or per-conversation numbered table (resumed runs continue the numbering). */
async function maxSeq(
  deps: EngineDeps,
  table: 'run_steps' | 'tool_calls' | 'run_events',
  tenant: string,
  column: 'run_id' | 'conversation_id',
  id: string,
): Promise<number> {
  const row = await sql<{ seq: number | null }>`SELECT MAX(seq) AS seq FROM ${sql.table(table)}
    WHERE tenant_id = ${tenant} AND ${sql.ref(column)} = ${id}`.execute(deps.store.db);
  return Number(row.rows[0]?.seq ?? 0);
}

/**
 * Persists one run as it goes: its steps, tool calls and events (numbered), its token usage and cost
 * (the run's row and the tenant's day), and every change of the run row conditional on the run still
 * running, so a cancel from another request or replica stops it at its next write.
 */
export class RunRecorder {
  private stepSeq = 0;
  private toolSeq = 0;
  private eventSeq = 0;
  readonly spent: Spent & TokenUsage = {
    tokens: 0,
    cost_usd: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
  };
  private listener?: EventListener;

  private constructor(
    private readonly deps: EngineDeps,
    readonly tenant: string,
    readonly conversationId: string,
    readonly runId: string,
    readonly agentId: string,
  ) {}

  static async open(
    deps: EngineDeps,
    run: {
      tenant: string;
      conversationId: string;
      runId: string;
      agentId: string;
      spent?: TokenUsage & { cost_usd: number };
    },
  ): Promise<RunRecorder> {
    const r = new RunRecorder(deps, run.tenant, run.conversationId, run.runId, run.agentId);
    r.stepSeq = await maxSeq(deps, 'run_steps', run.tenant, 'run_id', run.runId);
    r.toolSeq = await maxSeq(deps, 'tool_calls', run.tenant, 'run_id', run.runId);
    r.eventSeq = await maxSeq(deps, 'run_events', run.tenant, 'conversation_id', run.conversationId);
    if (run.spent) {
      Object.assign(r.spent, run.spent, { tokens: run.spent.total_tokens });
    }
    return r;
  }

  listen(listener: EventListener | undefined): void {
    this.listener = listener;
  }

  private at(): string {
    return new Date(this.deps.now()).toISOString();
  }

  /** Stores the event as the conversation's next, wakes the conversation's streams, tells the listener. */
  async emit(event: RunEvent): Promise<void> {
    let seq = ++this.eventSeq;
    for (let attempt = 1; ; attempt++) {
      try {
        await insertEvent(this.deps.store, this.tenant, this.conversationId, seq, event, this.at());
        break;
      } catch (err) {
        // Another recorder of the conversation wrote this seq (a cancelled run's last event racing
        // the next run's first): continue after the newest.
        if (!isUniqueViolation(err) || attempt === 3) throw err;
        seq = this.eventSeq =
          (await maxSeq(this.deps, 'run_events', this.tenant, 'conversation_id', this.conversationId)) + 1;
      }
    }
    this.deps.events.notify(conversationKey(this.tenant, this.conversationId));
    try {
      this.listener?.(event, seq);
    } catch (err) {
      this.deps.logger.warn({ err, run_id: this.runId }, 'An event listener failed; the run went on');
    }
  }

  async step(
    node: string,
    entry: {
      status?: 'completed' | 'failed' | 'paused';
      input?: unknown;
      output?: unknown;
      startedAt: number;
      model?: string;
      usage?: TokenUsage;
      cost_usd?: number;
    },
  ): Promise<void> {
    await insertStep(this.deps.store, {
      tenant_id: this.tenant,
      run_id: this.runId,
      seq: ++this.stepSeq,
      node,
      status: entry.status ?? 'completed',
      input: entry.input === undefined ? null : JSON.stringify(entry.input),
      output: entry.output === undefined ? null : JSON.stringify(entry.output),
      model: entry.model ?? null,
      prompt_tokens: entry.usage?.prompt_tokens ?? 0,
      completion_tokens: entry.usage?.completion_tokens ?? 0,
      cost_usd: entry.cost_usd ?? 0,
      started_at: new Date(entry.startedAt).toISOString(),
      ended_at: this.at(),
    });
  }

  async toolCall(row: {
    call_id: string;
    tool_name: string;
    arguments: unknown;
    status: string;
    result?: unknown;
    error?: unknown;
    approval_id?: string;
  }): Promise<number> {
    const seq = ++this.toolSeq;
    const at = this.at();
    await insertToolCall(this.deps.store, {
      tenant_id: this.tenant,
      run_id: this.runId,
      seq,
      call_id: row.call_id,
      tool_name: row.tool_name,
      arguments: JSON.stringify(row.arguments),
      status: row.status,
      result: row.result === undefined ? null : JSON.stringify(row.result),
      error: row.error === undefined ? null : JSON.stringify(row.error),
      approval_id: row.approval_id ?? null,
      started_at: at,
      ended_at: row.status === 'awaiting_approval' ? null : at,
    });
    return seq;
  }

  async finishToolCall(
    seq: number,
    patch: { status: string; result?: unknown; error?: unknown; arguments?: unknown },
  ): Promise<void> {
    const set: Partial<ToolCallsTable> = { status: patch.status, ended_at: this.at() };
    if (patch.result !== undefined) set.result = JSON.stringify(patch.result);
    if (patch.error !== undefined) set.error = JSON.stringify(patch.error);
    if (patch.arguments !== undefined) set.arguments = JSON.stringify(patch.arguments);
    await updateToolCall(this.deps.store, this.tenant, this.runId, seq, set);
  }

  /** The day's usage of the agent so far. */
  async daySpent(): Promise<Spent> {
    return dailyUsage(this.deps.store, this.tenant, this.agentId, utcDay(this.deps.now()));
  }

  /** Counts a planner turn against the run and the day (also when the run then stops on its budget). */
  async spend(usage: TokenUsage, costUsd: number): Promise<void> {
    const s = this.spent;
    s.prompt_tokens += usage.prompt_tokens;
    s.completion_tokens += usage.completion_tokens;
    s.total_tokens += usage.total_tokens;
    s.tokens = s.total_tokens;
    s.cost_usd += costUsd;
    await addDailyUsage(this.deps.store, this.tenant, this.agentId, utcDay(this.deps.now()), {
      tokens: usage.total_tokens,
      cost_usd: costUsd,
    });
    await this.update({});
  }

  /** Updates the running run (with its usage so far); RunStopped when it no longer runs. */
  async update(
    patch: RunPatch,
    to?: { status: string; finished?: boolean },
    db: OrchestrationDb = this.deps.store,
  ): Promise<void> {
    const at = this.at();
    const ok = await updateRun(
      db,
      this.tenant,
      this.runId,
      { status: ['running'] },
      {
        ...patch,
        prompt_tokens: this.spent.prompt_tokens,
        completion_tokens: this.spent.completion_tokens,
        total_tokens: this.spent.total_tokens,
        cost_usd: this.spent.cost_usd,
        updated_at: at,
        ...(to ? { status: to.status, finished_at: to.finished ? at : null } : {}),
      },
    );
    if (!ok) throw new RunStopped(this.runId);
  }
}
