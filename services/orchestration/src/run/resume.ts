import { findRunRow, updateRun } from '../store/runs';
import type { EngineDeps } from './deps';
import { finishRun, synthesizeAndFinish, type RunOutcome } from './driver';
import { failRun, linkedController } from './failure';
import { RunRecorder } from './recorder';
import type { PausedState, RunState } from './state';
import { checkCall, runTool, toolMessage } from './tool-calls';

/** An approval's decision as the approvals service publishes it (outbox `approval_decided`). */
export interface ApprovalDecision {
  approval_id: string;
  status: 'approved' | 'modified' | 'rejected';
  decided_by?: string | null;
  notes?: string | null;
  /** The action as approved (the reviewer's modifications applied); null for a rejection. */
  effective_action?: { tool_name: string; arguments: Record<string, unknown> } | null;
}

/**
 * Continues a run paused at an approval, on any replica and after a restart (everything it needs is
 * in the store). The run is claimed with a conditional update (`awaiting_approval` at its version →
 * `running`), so of several consumers exactly one resumes it. Approved: the frozen call is replayed
 * exactly as the reviewer saw it. Modified: the effective action's arguments, validated by the tool's
 * schema again. Rejected: the call never runs; the run ends `rejected` and the conversation says so.
 */
export async function resumeRun(
  deps: EngineDeps,
  active: Map<string, AbortController>,
  tenant: string,
  runId: string,
  decision: ApprovalDecision,
): Promise<RunOutcome | undefined> {
  const row = await findRunRow(deps.store, tenant, runId);
  if (!row || row.status !== 'awaiting_approval' || row.approval_id !== decision.approval_id || !row.pending)
    return undefined;
  // Before the claim: a transient failure here leaves the run paused for the next pass.
  const caller = await deps.caller(tenant);
  const at = new Date(deps.now()).toISOString();
  const claimed = await updateRun(
    deps.store,
    tenant,
    runId,
    { status: ['awaiting_approval'], version: row.version },
    { status: 'running', updated_at: at },
  );
  if (!claimed) return undefined;
  const paused = JSON.parse(row.pending) as PausedState;
  const controller = linkedController();
  active.set(runId, controller);
  const rec = await RunRecorder.open(deps, {
    tenant,
    conversationId: row.conversation_id,
    runId,
    agentId: row.agent_id,
    spent: {
      prompt_tokens: Number(row.prompt_tokens),
      completion_tokens: Number(row.completion_tokens),
      total_tokens: Number(row.total_tokens),
      cost_usd: Number(row.cost_usd),
    },
  });
  try {
    const agent = deps.catalog.byId(row.agent_id);
    if (!agent) throw new Error(`Agent ${row.agent_id} is no longer defined`);
    const st: RunState = {
      agent,
      tenant,
      userId: row.user_id,
      conversationId: row.conversation_id,
      runId,
      userMessage: row.user_message,
      requestContext: paused.request_context,
      caller,
      messages: paused.messages,
      outcomes: paused.outcomes,
      context: paused.context,
      wellId: paused.well_id,
      manifests: paused.manifests,
      injected: paused.injected,
      toolsCalled: paused.tools_called,
      streamed: false,
      signal: controller.signal,
    };
    const startedAt = deps.now();
    const data = {
      approval_id: decision.approval_id,
      decision: decision.status,
      decided_by: decision.decided_by ?? null,
      notes: decision.notes ?? null,
    };
    await rec.step('approval_gate', { startedAt, input: { tool_name: paused.call.name }, output: data });
    await rec.emit({ event_type: 'node_end', node: 'approval_gate', data, run_id: runId });
    if (decision.status === 'rejected') {
      await rec.finishToolCall(paused.tool_call_seq, { status: 'rejected' });
      const response = `The reviewer${decision.decided_by ? ` ${decision.decided_by}` : ''} rejected ${paused.call.name} (approval ${decision.approval_id})${decision.notes ? `: ${decision.notes}` : ''}. It was not run and nothing was changed.`;
      await rec.emit({ event_type: 'token', content: response, run_id: runId });
      return await finishRun(deps, rec, st, 'rejected', response);
    }
    const call =
      decision.status === 'modified' && decision.effective_action
        ? { ...paused.call, arguments: decision.effective_action.arguments }
        : paused.call;
    const check = checkCall(agent, deps.tools, call);
    if (check.kind === 'refused') {
      // A modification the tool's schema refuses: the call does not run; the answer explains.
      const outcome = { call, error: check.error };
      await rec.finishToolCall(paused.tool_call_seq, {
        status: 'refused',
        error: check.error,
        arguments: call.arguments,
      });
      st.outcomes.push(outcome);
      st.messages.push(toolMessage(outcome));
    } else {
      const tool = deps.tools.get(call.name)!;
      // Approved: exactly the frozen arguments (the validated ones the reviewer saw).
      const args = decision.status === 'approved' ? paused.call.arguments : check.args;
      await runTool(deps, rec, st, tool, call, args, paused.tool_call_seq);
    }
    return await synthesizeAndFinish(deps, rec, st);
  } catch (err) {
    throw await failRun(deps, rec, err, controller.signal);
  } finally {
    active.delete(runId);
  }
}
