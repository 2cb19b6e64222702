import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from '@aegis/common';
import type { AgentDefinition } from '../agents/types';
import {
  appendMessage,
  findConversation,
  insertConversation,
  recentMessages,
  type Message,
} from '../store/conversations';
import {
  activeRunRow,
  findRunRow,
  insertRun,
  newRunRow,
  updateRun,
  type RunRecord,
  toRunRecord,
} from '../store/runs';
import { dailyUsage } from '../store/usage';
import { exceededBudget, utcDay } from './budget';
import { loadContext } from './context';
import type { EngineDeps } from './deps';
import { planPhase, pauseAtGate, synthesizeAndFinish, type RunOutcome } from './driver';
import { countRun, failRun, linkedController } from './failure';
import { newId, RunRecorder, type EventListener } from './recorder';
import { resumeRun, type ApprovalDecision } from './resume';
import { failStaleRuns } from './stale';
import { BudgetExceededError, type RunState } from './state';

export interface RunRequest {
  tenantId: string;
  /** Who asks (a user id, `service:orchestration` for a scheduled run). */
  userId: string;
  agentType?: string;
  agentId?: string;
  userMessage: string;
  /** Continue this conversation; a new one is created when absent. */
  conversationId?: string;
  context?: Record<string, unknown>;
  /** Where validation errors point: `body` (`POST /execute`) or `query` (the stream). */
  loc?: 'body' | 'query';
}

export interface RunOptions {
  onEvent?: EventListener;
  /** Aborting it cancels the run (a client that went away). */
  signal?: AbortSignal;
}

/** A run that passed its checks and is stored (`running`); `execute` drives it. */
export interface PreparedRun {
  runId: string;
  conversationId: string;
  execute(opts?: RunOptions): Promise<RunOutcome>;
}

export interface Engine {
  /** Checks and stores a new run (422/404/409/429 with nothing stored when refused). */
  start(request: RunRequest): Promise<PreparedRun>;
  /** `start` then `execute`. */
  run(request: RunRequest, opts?: RunOptions): Promise<RunOutcome>;
  /** Cancels the conversation's run in progress (running or paused at an approval). */
  cancel(tenant: string, conversationId: string, by: string): Promise<RunRecord>;
  /** Continues a paused run with its approval's decision; undefined when the run was not paused (or
   * another replica took it). */
  resume(tenant: string, runId: string, decision: ApprovalDecision): Promise<RunOutcome | undefined>;
  /** Runs this process is driving now. */
  activeRuns(): number;
  /** Resolves when the background work runs left (a resume after a fast decision) is done. */
  idle(): Promise<void>;
  /** Whether this process drives the run now. */
  drives(runId: string): boolean;
  /** Ends runs a stopped process left `running` (see `failStaleRuns`). */
  failStale(staleMs?: number): Promise<number>;
}

const HISTORY = 20;

export function createEngine(deps: EngineDeps): Engine {
  const active = new Map<string, AbortController>();

  const agentOf = (req: RunRequest, conversationAgent?: string): AgentDefinition => {
    const loc = req.loc ?? 'body';
    if (conversationAgent) {
      const agent = deps.catalog.byId(conversationAgent);
      if (!agent)
        throw new NotFoundError(`Agent ${conversationAgent} is no longer defined`, 'agent_not_found');
      if (req.agentType && req.agentType !== agent.agent_type)
        throw ValidationError.single(
          [loc, 'agent_type'],
          `the conversation is with a ${agent.agent_type} agent`,
        );
      if (req.agentId && req.agentId !== agent.agent_id)
        throw ValidationError.single([loc, 'agent_id'], `the conversation is with ${agent.agent_id}`);
      return agent;
    }
    if (req.agentId) {
      const agent = deps.catalog.byId(req.agentId);
      if (!agent) throw ValidationError.single([loc, 'agent_id'], 'is not a defined agent');
      if (req.agentType && req.agentType !== agent.agent_type)
        throw ValidationError.single([loc, 'agent_type'], `does not match agent ${agent.agent_id}`);
      return agent;
    }
    if (!req.agentType) throw ValidationError.single([loc, 'agent_type'], 'field required', 'missing');
    const agent = deps.catalog.byType(req.agentType);
    if (!agent)
      throw ValidationError.single(
        [loc, 'agent_type'],
        `must be one of: ${deps.catalog
          .list()
          .map((a) => a.agent_type)
          .join(', ')}`,
      );
    return agent;
  };

  async function start(req: RunRequest): Promise<PreparedRun> {
    const existing = req.conversationId
      ? await findConversation(deps.store, req.tenantId, req.conversationId)
      : undefined;
    if (req.conversationId && !existing) throw new NotFoundError('Conversation not found');
    const agent = agentOf(req, existing?.agent_id);
    const day = await dailyUsage(deps.store, req.tenantId, agent.agent_id, utcDay(deps.now()));
    const over = exceededBudget(agent.budgets, { tokens: 0, cost_usd: 0 }, day);
    if (over) throw new BudgetExceededError(`${agent.agent_id} cannot run: ${over}`);
    const at = new Date(deps.now()).toISOString();
    const conversationId = existing?.conversation_id ?? newId('conv');
    const runId = newId('run');
    let history: Message[] = [];
    try {
      await deps.store.transaction(async (tx) => {
        if (existing) {
          if (await activeRunRow(tx, req.tenantId, conversationId)) throw runInProgress();
          history = await recentMessages(tx, req.tenantId, conversationId, deps.historyMessages ?? HISTORY);
        } else {
          await insertConversation(tx, req.tenantId, {
            conversation_id: conversationId,
            agent_type: agent.agent_type,
            agent_id: agent.agent_id,
            title: titleOf(req.userMessage),
            status: 'active',
            created_by: req.userId,
            created_at: at,
            updated_at: at,
          });
        }
        await insertRun(
          tx,
          newRunRow({
            run_id: runId,
            tenant_id: req.tenantId,
            conversation_id: conversationId,
            agent_id: agent.agent_id,
            agent_type: agent.agent_type,
            agent_version: agent.version,
            planner: deps.planner.kind,
            user_id: req.userId,
            user_message: req.userMessage,
            request_context: req.context ? JSON.stringify(req.context) : null,
            created_at: at,
          }),
        );
        await appendMessage(tx, req.tenantId, conversationId, {
          message_id: newId('msg'),
          role: 'user',
          content: req.userMessage,
          run_id: runId,
          created_at: at,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw runInProgress();
      throw err;
    }
    return {
      runId,
      conversationId,
      execute: (opts = {}) => execute(req, agent, conversationId, runId, history, opts),
    };
  }

  async function execute(
    req: RunRequest,
    agent: AgentDefinition,
    conversationId: string,
    runId: string,
    history: Message[],
    opts: RunOptions,
  ): Promise<RunOutcome> {
    const controller = linkedController(opts.signal);
    active.set(runId, controller);
    const rec = await RunRecorder.open(deps, {
      tenant: req.tenantId,
      conversationId,
      runId,
      agentId: agent.agent_id,
    });
    rec.listen(opts.onEvent);
    const st: RunState = {
      agent,
      tenant: req.tenantId,
      userId: req.userId,
      conversationId,
      runId,
      userMessage: req.userMessage,
      requestContext: req.context,
      caller: { token: '', tenantId: req.tenantId },
      messages: [],
      outcomes: [],
      manifests: deps.skills.manifests(agent),
      injected: [],
      toolsCalled: [],
      streamed: false,
      signal: controller.signal,
    };
    try {
      st.caller = await deps.caller(req.tenantId);
      await rec.emit({ event_type: 'agent_status', status: 'thinking', node: 'load_context', run_id: runId });
      const startedAt = deps.now();
      const loaded = await loadContext(deps, st, history);
      await rec.step('load_context', { startedAt, output: loaded.output });
      await rec.emit({ event_type: 'node_end', node: 'load_context', data: loaded.output, run_id: runId });
      const gated = await planPhase(deps, rec, st);
      await rec.emit({
        event_type: 'node_end',
        node: 'plan',
        data: { tools_called: st.toolsCalled, approval_needed: gated?.call.name ?? null },
        run_id: runId,
      });
      if (gated) {
        const paused = await pauseAtGate(deps, rec, st, gated);
        background(decidedMeanwhile(req.tenantId, runId, paused.approval_id!));
        return paused;
      }
      return await synthesizeAndFinish(deps, rec, st);
    } catch (err) {
      throw await failRun(deps, rec, err, controller.signal);
    } finally {
      active.delete(runId);
    }
  }

  /** Work a run left behind (a resume it started); `idle` awaits it at shutdown. */
  const pending = new Set<Promise<unknown>>();
  const background = (p: Promise<unknown>): void => {
    const tracked = p
      .catch((err: unknown) => deps.logger.warn({ err }, 'A background resume ended with an error'))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  /**
   * A decision made before the pause was stored: the outbox consumer may have read (and passed) its
   * event while the run was not paused yet. Asking once after the pause closes that gap: a decision
   * after this read publishes an event the consumer reads with the run paused.
   */
  async function decidedMeanwhile(tenant: string, runId: string, approvalId: string): Promise<void> {
    const approval = await deps.approvals.get(tenant, approvalId);
    if (approval.status === 'pending') return;
    await resumeRun(deps, active, tenant, runId, {
      approval_id: approvalId,
      status: approval.status,
      decided_by: approval.decision?.decided_by ?? null,
      notes: approval.decision?.notes ?? null,
      effective_action: approval.effective_action,
    });
  }

  async function cancel(tenant: string, conversationId: string, by: string): Promise<RunRecord> {
    if (!(await findConversation(deps.store, tenant, conversationId)))
      throw new NotFoundError('Conversation not found');
    const row = await activeRunRow(deps.store, tenant, conversationId);
    if (!row) throw new ConflictError('The conversation has no run in progress', 'no_active_run');
    const at = new Date(deps.now()).toISOString();
    const ok = await updateRun(
      deps.store,
      tenant,
      row.run_id,
      { status: ['running', 'awaiting_approval'], version: row.version },
      {
        status: 'cancelled',
        error_code: 'cancelled',
        error_message: `Cancelled by ${by}`,
        finished_at: at,
        updated_at: at,
      },
    );
    if (!ok) throw new ConflictError('The run changed meanwhile; read it and try again', 'run_changed');
    countRun(deps, row.agent_id, 'cancelled');
    active.get(row.run_id)?.abort();
    if (row.status === 'awaiting_approval') await cancelPaused(deps, row, at);
    return toRunRecord((await findRunRow(deps.store, tenant, row.run_id))!);
  }

  return {
    start,
    run: async (req, opts) => (await start(req)).execute(opts),
    cancel,
    resume: (tenant, runId, decision) => resumeRun(deps, active, tenant, runId, decision),
    activeRuns: () => active.size,
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    drives: (runId) => active.has(runId),
    failStale: (staleMs) => failStaleRuns(deps, (runId) => active.has(runId), staleMs),
  };
}

/** A paused run that is cancelled: its waiting call will not run, and the conversation says so. */
async function cancelPaused(
  deps: EngineDeps,
  row: {
    tenant_id: string;
    run_id: string;
    conversation_id: string;
    agent_id: string;
    pending: string | null;
  },
  at: string,
): Promise<void> {
  const rec = await RunRecorder.open(deps, {
    tenant: row.tenant_id,
    conversationId: row.conversation_id,
    runId: row.run_id,
    agentId: row.agent_id,
  });
  const paused = row.pending
    ? (JSON.parse(row.pending) as { tool_call_seq: number; call: { name: string } })
    : undefined;
  if (paused) await rec.finishToolCall(paused.tool_call_seq, { status: 'cancelled' });
  await appendMessage(deps.store, row.tenant_id, row.conversation_id, {
    message_id: newId('msg'),
    role: 'assistant',
    content: `The run was cancelled${paused ? `; ${paused.call.name} was not run` : ''}.`,
    run_id: row.run_id,
    created_at: at,
  });
  await rec.emit({
    event_type: 'error',
    code: 'cancelled',
    message: 'The run was cancelled',
    run_id: row.run_id,
  });
}

const runInProgress = () =>
  new ConflictError('A run of this conversation is in progress; wait for it or cancel it', 'run_in_progress');

function titleOf(message: string): string {
  const line = message.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
