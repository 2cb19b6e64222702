import { ApprovalsClientError } from '@aegis/approvals';
import { UpstreamError } from '@aegis/common';
import type { PlannerTurn } from '../planner/types';
import { appendMessage } from '../store/conversations';
import { exceededBudget, remainingBudget } from './budget';
import type { EngineDeps } from './deps';
import { newId, type RunRecorder } from './recorder';
import { injectSkills } from './skills';
import { BudgetExceededError, type GatedCall, type PausedState, type RunState } from './state';
import { checkCall, refuseCall, runTool, sameCall } from './tool-calls';

/** What a run answers (`POST /execute`, spec §8), plus its id and status. */
export interface RunOutcome {
  run_id: string;
  status: 'completed' | 'awaiting_approval' | 'rejected';
  conversation_id: string;
  agent_type: string;
  response: string;
  tools_called: string[];
  skills_injected: string[];
  approval_required: boolean;
  approval_id?: string;
  token_usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  cost_usd: number;
}

const DEFAULT_MAX_PLAN_TURNS = 6;

export function outcomeOf(
  rec: RunRecorder,
  st: RunState,
  status: RunOutcome['status'],
  response: string,
  approvalId?: string,
): RunOutcome {
  const { prompt_tokens, completion_tokens, total_tokens, cost_usd } = rec.spent;
  return {
    run_id: st.runId,
    status,
    conversation_id: st.conversationId,
    agent_type: st.agent.agent_type,
    response,
    tools_called: [...st.toolsCalled],
    skills_injected: st.injected.map((s) => s.skill_id),
    approval_required: status === 'awaiting_approval',
    ...(approvalId ? { approval_id: approvalId } : {}),
    token_usage: { prompt_tokens, completion_tokens, total_tokens },
    cost_usd: Number(cost_usd.toFixed(6)),
  };
}

/** Stops before a turn when a budget is spent, and after one when the turn spent it: the turn that
 * crosses a budget is the last, and what it asked for is not done (spec: nothing half-done). */
async function plannerTurn(
  deps: EngineDeps,
  rec: RunRecorder,
  st: RunState,
  phase: 'plan' | 'synthesize',
): Promise<PlannerTurn> {
  const budgets = st.agent.budgets;
  const day = await rec.daySpent();
  const before = exceededBudget(budgets, rec.spent, day);
  if (before) throw new BudgetExceededError(`The run ${st.runId} stopped: ${before}`);
  const node = phase === 'plan' ? 'plan' : 'synthesis';
  const startedAt = deps.now();
  await rec.emit({
    event_type: 'agent_status',
    status: phase === 'plan' ? 'thinking' : 'synthesizing',
    node,
    run_id: st.runId,
  });
  let tokens = Promise.resolve();
  const turn = await deps.planner.turn({
    agent: st.agent,
    phase,
    userMessage: st.userMessage,
    messages: [...st.messages],
    tools: phase === 'plan' ? deps.toolSpecs(st.agent.tools) : [],
    toolOutcomes: [...st.outcomes],
    context: st.context,
    requestContext: st.requestContext,
    skillsOffered: st.manifests,
    skillsInjected: st.injected,
    onToken: (content) => {
      st.streamed = true;
      tokens = tokens.then(() => rec.emit({ event_type: 'token', content, run_id: st.runId }));
    },
    signal: st.signal,
    remaining: remainingBudget(budgets, rec.spent, day),
  });
  await tokens;
  await rec.step(node, {
    startedAt,
    input: { phase, messages: st.messages.length, tool_outcomes: st.outcomes.length },
    output: {
      ...(turn.kind === 'final'
        ? { content: turn.content, ...(turn.refusal ? { refusal: turn.refusal } : {}) }
        : { calls: turn.calls, content: turn.content }),
      ...(turn.usage_estimated ? { usage_estimated: true } : {}),
    },
    model: turn.model,
    usage: turn.usage,
    cost_usd: turn.cost_usd,
  });
  await rec.spend(turn.usage, turn.cost_usd);
  const after = exceededBudget(budgets, rec.spent, await rec.daySpent());
  if (after) throw new BudgetExceededError(`The run ${st.runId} stopped: ${after}`);
  return turn;
}

/**
 * The plan phase: planner turns until it answers (`final`), asks only for calls it already made, or
 * reaches the turn limit. Read-only calls run at once; the first mutating call waits for the approval
 * gate (a second one in the same run is refused: one approval per run). Skills are selected before the
 * first turn (by the request's words) and after each batch of calls (by the tools called), so every
 * later turn, the answer included, has their definitions.
 */
export async function planPhase(
  deps: EngineDeps,
  rec: RunRecorder,
  st: RunState,
): Promise<GatedCall | undefined> {
  const maxTurns = deps.maxPlanTurns ?? DEFAULT_MAX_PLAN_TURNS;
  let gated: GatedCall | undefined;
  await skillStep(deps, rec, st);
  for (let n = 0; n < maxTurns && !gated; n++) {
    const turn = await plannerTurn(deps, rec, st, 'plan');
    if (turn.kind === 'final') {
      st.answer = turn.content;
      break;
    }
    const fresh = turn.calls.filter((c) => !st.outcomes.some((o) => sameCall(o.call, c)));
    if (fresh.length === 0) break;
    st.messages.push({ role: 'assistant', content: turn.content ?? null, tool_calls: fresh });
    const calledBefore = st.toolsCalled.length;
    for (const call of fresh) {
      const check = checkCall(st.agent, deps.tools, call);
      if (check.kind === 'refused') await refuseCall(rec, st, call, check.error);
      else if (check.kind === 'run') await runTool(deps, rec, st, check.tool, call, check.args);
      else if (gated)
        await refuseCall(rec, st, call, {
          code: 'approval_pending',
          message: `${gated.call.name} already waits for approval in this run; ask again after it is decided`,
        });
      else gated = { call: { ...call, arguments: check.args }, args: check.args };
    }
    // Skills the calls made relevant reach the next turn (and the synthesis).
    if (st.toolsCalled.length > calledBefore) await skillStep(deps, rec, st);
  }
  return gated;
}

/** The skill step, recorded. */
export async function skillStep(deps: EngineDeps, rec: RunRecorder, st: RunState): Promise<void> {
  const startedAt = deps.now();
  const output = await injectSkills(deps, st);
  await rec.step('skills', { startedAt, output });
  await rec.emit({ event_type: 'node_end', node: 'skills', data: output, run_id: st.runId });
}

/**
 * The approval gate: the approval is created with the exact call (tool, validated arguments) as its
 * proposed action, and the run is frozen (`awaiting_approval`, the paused state stored) in one update.
 * The call runs only when the decision arrives (`resume`).
 */
export async function pauseAtGate(
  deps: EngineDeps,
  rec: RunRecorder,
  st: RunState,
  gated: GatedCall,
): Promise<RunOutcome> {
  const startedAt = deps.now();
  const tool = deps.tools.get(gated.call.name)!;
  const request = tool.mutating!.approval(gated.args);
  let approvalId: string;
  try {
    const approval = await deps.approvals.create(st.tenant, {
      conversation_id: st.conversationId,
      run_id: st.runId,
      agent_type: st.agent.agent_type,
      checkpoint_type: request.checkpoint_type,
      payload: request.payload,
      proposed_action: { tool_name: gated.call.name, description: tool.description, arguments: gated.args },
      context: {
        well_id: st.wellId ?? null,
        user_message: st.userMessage,
        tool_results: st.outcomes.map((o) => ({ tool: o.call.name, result: o.result, error: o.error })),
      },
      reviewer_strategy: 'any_reviewer',
      on_behalf_of: st.userId,
    });
    approvalId = approval.approval_id;
  } catch (err) {
    if (err instanceof ApprovalsClientError)
      throw new UpstreamError(
        `The approvals service refused the approval (${err.status})`,
        'approval_failed',
      );
    throw err;
  }
  const seq = await rec.toolCall({
    call_id: gated.call.id,
    tool_name: gated.call.name,
    arguments: gated.args,
    status: 'awaiting_approval',
    approval_id: approvalId,
  });
  const response = [
    st.answer,
    // The summary is a sentence of its own (it may end with a citation), so the request follows it.
    `${request.payload.summary.replace(/\.?\s*$/, '.')} A reviewer's approval is needed before ${gated.call.name} runs (approval ${approvalId}, checkpoint ${request.checkpoint_type}). The run continues when it is decided.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const paused: PausedState = {
    call: gated.call,
    tool_call_seq: seq,
    messages: st.messages,
    outcomes: st.outcomes,
    context: st.context,
    well_id: st.wellId,
    request_context: st.requestContext,
    manifests: st.manifests,
    injected: st.injected,
    tools_called: st.toolsCalled,
    paused_response: response,
  };
  await deps.store.transaction(async (tx) => {
    await rec.update(
      {
        approval_id: approvalId,
        pending: JSON.stringify(paused),
        response,
        tools_called: JSON.stringify(st.toolsCalled),
        skills_injected: JSON.stringify(st.injected.map((s) => s.skill_id)),
      },
      { status: 'awaiting_approval' },
      tx,
    );
    await appendMessage(tx, st.tenant, st.conversationId, assistantMessage(deps, st.runId, response));
  });
  await rec.step('approval_gate', {
    startedAt,
    status: 'paused',
    input: { tool_name: gated.call.name, arguments: gated.args },
    output: { approval_id: approvalId, checkpoint_type: request.checkpoint_type },
  });
  deps.metrics?.runStatus(st.agent.agent_type, 'awaiting_approval');
  await rec.emit({ event_type: 'approval_required', approval_id: approvalId, run_id: st.runId });
  await rec.emit({
    event_type: 'agent_status',
    status: 'awaiting_approval',
    node: 'approval_gate',
    run_id: st.runId,
  });
  return outcomeOf(rec, st, 'awaiting_approval', response, approvalId);
}

export function assistantMessage(deps: EngineDeps, runId: string, content: string) {
  return {
    message_id: newId('msg'),
    role: 'assistant' as const,
    content,
    run_id: runId,
    created_at: new Date(deps.now()).toISOString(),
  };
}

/** Synthesis (unless a plan turn already answered) and the end of a completed run: the run and its
 * answer in one transaction, then working memory and the episode, then `done`. */
export async function synthesizeAndFinish(
  deps: EngineDeps,
  rec: RunRecorder,
  st: RunState,
  status: 'completed' | 'rejected' = 'completed',
): Promise<RunOutcome> {
  let response = st.answer;
  if (response !== undefined) {
    await rec.step('synthesis', { startedAt: deps.now(), output: { answered_by: 'plan' } });
  } else {
    const turn = await plannerTurn(deps, rec, st, 'synthesize');
    response = turn.kind === 'final' ? turn.content : (turn.content ?? '');
  }
  if (!st.streamed && response) {
    await rec.emit({ event_type: 'token', content: response, run_id: st.runId });
    st.streamed = true;
  }
  return finishRun(deps, rec, st, status, response);
}

export async function finishRun(
  deps: EngineDeps,
  rec: RunRecorder,
  st: RunState,
  status: 'completed' | 'rejected',
  response: string,
): Promise<RunOutcome> {
  await deps.store.transaction(async (tx) => {
    await rec.update(
      {
        response,
        pending: null,
        tools_called: JSON.stringify(st.toolsCalled),
        skills_injected: JSON.stringify(st.injected.map((s) => s.skill_id)),
      },
      { status, finished: true },
      tx,
    );
    await appendMessage(tx, st.tenant, st.conversationId, assistantMessage(deps, st.runId, response));
  });
  deps.metrics?.runStatus(st.agent.agent_type, status);
  await rec.emit({ event_type: 'node_end', node: 'synthesis', data: { status }, run_id: st.runId });
  await remember(deps, st, response);
  await rec.emit({
    event_type: 'done',
    final_response: response,
    run_id: st.runId,
    conversation_id: st.conversationId,
  });
  return outcomeOf(rec, st, status, response);
}

/** Working memory (the well in question, the last exchange) and the episode of the run. A memory
 * failure is logged: the run's answer stands. */
async function remember(deps: EngineDeps, st: RunState, response: string): Promise<void> {
  try {
    await deps.memory.putWorkingMemory(st.caller, st.conversationId, {
      agent_type: st.agent.agent_type,
      well_id: st.wellId ?? null,
      last_run_id: st.runId,
      last_question: st.userMessage.slice(0, 2000),
      last_answer: response.slice(0, 4000),
    });
    await deps.memory.storeEpisode(st.caller, {
      summary: `Q: ${st.userMessage.slice(0, 4000)}\nA: ${response.slice(0, 8000)}`,
      metadata: {
        conversation_id: st.conversationId,
        agent_id: st.agent.agent_id,
        user_id: st.userId,
        tags: [st.agent.agent_type, ...new Set(st.toolsCalled)].slice(0, 50),
      },
    });
  } catch (err) {
    deps.logger.warn({ err, run_id: st.runId }, 'Failed to store the run in memory');
  }
}
