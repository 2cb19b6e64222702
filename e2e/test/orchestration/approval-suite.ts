/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { waitFor } from '@aegis/testing';
import {
  useOrchestrationPlatform,
  waitForRun,
  wellInsideSpacing,
  type OrchestrationPlatformOptions,
} from './platform';

/**
 * A rule_37 request to file a spacing exception stops at an approval checkpoint; a second user, a
 * reviewer, decides it through the approvals API of the gateway, and the run resumes (also after the
 * orchestration restarted, with the decision made while it was down), ends rejected, or is cancelled
 * while it waits.
 */
export function approvalSuite(options: () => OrchestrationPlatformOptions): void {
  const p = useOrchestrationPlatform(options);
  let well: string;
  let operatorId: string;

  beforeAll(async () => {
    well = (await wellInsideSpacing(p.operator)).well;
    operatorId = (await p.operator.call('GET', '/api/v1/auth/me')).body.user_id;
  });

  /** GIVEN the operator asked the rule37 agent to file a spacing exception: the run is paused. */
  async function fileException(): Promise<any> {
    const r = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'rule_37',
      user_message: `File a Rule 37 spacing exception (Form W-1) for well ${well}: it is closer to its offset well than the minimum.`,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'awaiting_approval',
      approval_required: true,
      approval_id: expect.stringMatching(/^apr-/),
    });
    return r.body;
  }

  /** The reviewer's decision through the gateway. */
  async function decide(approvalId: string, decision: 'approved' | 'rejected', notes: string): Promise<void> {
    const r = await p.rita.call('POST', `/api/v1/approvals/${approvalId}/decide`, { decision, notes });
    expect(r.status).toBe(200);
  }

  it('creates the approval for the operator with the frozen tool call, and replays exactly that call once approved — decided while the orchestration was down', async () => {
    const paused = await fileException();

    // THEN the approval is pending, on behalf of the operator, naming the run and the frozen call.
    const approval = await p.rita.call('GET', `/api/v1/approvals/${paused.approval_id}`);
    expect(approval.status).toBe(200);
    expect(approval.body).toMatchObject({
      status: 'pending',
      agent_type: 'rule_37',
      conversation_id: paused.conversation_id,
      run_id: paused.run_id,
      on_behalf_of: operatorId,
      reviewer_strategy: 'any_reviewer',
    });
    expect(['pre_filing', 'good_cause_review']).toContain(approval.body.checkpoint_type);
    const action = approval.body.proposed_action;
    const trace = await p.operator.call(
      'GET',
      `/api/v1/conversations/${paused.conversation_id}/runs/${paused.run_id}`,
    );
    expect(trace.body.status).toBe('awaiting_approval');
    const gated = (trace.body.tool_calls as any[]).find((c) => c.approval_id === paused.approval_id);
    expect(gated).toMatchObject({ tool_name: action.tool_name, arguments: action.arguments });
    expect(gated.status).not.toBe('completed');

    // WHEN the orchestration stops, the reviewer approves meanwhile, and it starts again.
    await p.stopOrchestration();
    await decide(paused.approval_id, 'approved', 'Offset operators notified; good cause shown.');
    await p.startOrchestration();

    // THEN the run resumes by itself and completes with exactly the frozen call.
    const done = await waitForRun(p.operator, paused.conversation_id, paused.run_id, ['completed'], 30_000);
    const replayed = (done.tool_calls as any[]).find((c) => c.approval_id === paused.approval_id);
    expect(replayed).toMatchObject({
      tool_name: action.tool_name,
      arguments: action.arguments,
      status: 'completed',
    });
    expect(replayed.result).toBeDefined();
    expect((done.steps as any[]).map((s) => s.node)).toContain('approval_gate');
    // The gate's last step records the decision (an earlier one recorded the pause).
    expect((done.steps as any[]).filter((s) => s.node === 'approval_gate').at(-1).output).toMatchObject({
      approval_id: paused.approval_id,
      decision: 'approved',
    });
    // … and the conversation shows the completed step after the paused answer.
    const conversation = await p.operator.call('GET', `/api/v1/conversations/${paused.conversation_id}`);
    const assistant = (conversation.body.messages as any[]).filter((m) => m.role === 'assistant');
    expect(assistant.length).toBeGreaterThanOrEqual(2);
    expect(assistant.at(-1).content).toMatch(/approved/);
    // The replayed call wrote its record in the knowledge graph (a FilingPackage), and the answer names it.
    const record = replayed.result as { label: string; entity_id: string };
    expect(record.label).toBe('FilingPackage');
    expect(assistant.at(-1).content).toContain(record.entity_id);
    const stored = await p.operator.call(
      'GET',
      `/api/v1/entities/FilingPackage/${encodeURIComponent(record.entity_id)}`,
    );
    expect(stored.status).toBe(200);
    // A second decision is refused and changes nothing.
    const twice = await p.ron.call('POST', `/api/v1/approvals/${paused.approval_id}/decide`, {
      decision: 'rejected',
    });
    expect(twice.status).toBe(409);
    expect((await waitForRun(p.operator, paused.conversation_id, paused.run_id, ['completed'])).status).toBe(
      'completed',
    );
  }, 120_000);

  it('ends the run rejected when the reviewer rejects: the call never runs and the conversation says so', async () => {
    const paused = await fileException();
    await decide(paused.approval_id, 'rejected', 'The good-cause narrative is missing.');

    const done = await waitForRun(p.operator, paused.conversation_id, paused.run_id, ['rejected']);
    const call = (done.tool_calls as any[]).find((c) => c.approval_id === paused.approval_id);
    expect(call.status).toBe('rejected');
    expect(call.result ?? null).toBeNull();
    // Nothing was filed for this run.
    const filings = await p.operator.call('GET', '/api/v1/entities/FilingPackage?page_size=100');
    expect(JSON.stringify(filings.body.data)).not.toContain(paused.run_id);
    const conversation = await p.operator.call('GET', `/api/v1/conversations/${paused.conversation_id}`);
    const last = (conversation.body.messages as any[]).at(-1);
    expect(last.role).toBe('assistant');
    expect(last.content).toMatch(/rejected/);
    expect(last.content).toContain('The good-cause narrative is missing.');
  });

  it('cancels a run waiting for its approval: a later approval does not run the call', async () => {
    const paused = await fileException();

    const cancelled = await p.operator.call('POST', `/api/v1/conversations/${paused.conversation_id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // Nothing left to cancel.
    const again = await p.operator.call('POST', `/api/v1/conversations/${paused.conversation_id}/cancel`);
    expect(again.status).toBe(409);

    await decide(paused.approval_id, 'approved', 'Too late.');
    // The resume loop sees the decision (poll every 200 ms) and leaves the cancelled run alone.
    await new Promise((r) => setTimeout(r, 1500));
    const run = await waitForRun(p.operator, paused.conversation_id, paused.run_id, ['cancelled']);
    const call = (run.tool_calls as any[]).find((c) => c.approval_id === paused.approval_id);
    expect(call.status).not.toBe('completed');
    const conversation = await p.operator.call('GET', `/api/v1/conversations/${paused.conversation_id}`);
    expect((conversation.body.messages as any[]).at(-1).content).toMatch(/cancelled/);
  });

  it('a paused conversation refuses another run (409) until its run ends, storing nothing', async () => {
    const paused = await fileException();
    const before = await p.operator.call('GET', `/api/v1/conversations/${paused.conversation_id}/messages`);
    const busy = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'rule_37',
      user_message: 'And another one?',
      conversation_id: paused.conversation_id,
    });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'run_in_progress', request_id: expect.any(String) });
    const after = await p.operator.call('GET', `/api/v1/conversations/${paused.conversation_id}/messages`);
    expect(after.body.total).toBe(before.body.total);
    const deleting = await p.operator.call('DELETE', `/api/v1/conversations/${paused.conversation_id}`);
    expect(deleting.status).toBe(409);
    await decide(paused.approval_id, 'rejected', 'Not now.');
    await waitFor(
      'the rejected run to free the conversation',
      async () =>
        (await p.operator.call('DELETE', `/api/v1/conversations/${paused.conversation_id}`)).status === 204,
      20_000,
      200,
    );
  });
}
