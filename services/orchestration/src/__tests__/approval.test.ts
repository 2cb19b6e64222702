import { startHarness, type Harness } from './harness';
import { turn, WELL } from './fixtures';

const FILE = { well_id: WELL, narrative: 'Irregular lease: good cause' };

describe('runs that stop at an approval checkpoint', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A run that looks the well up, then asks to file the exception: paused at the gate. */
  async function pausedRun() {
    h.planner.plan = [
      turn.calls([{ name: 'lookup_well', arguments: { well_id: WELL } }]),
      turn.calls([{ name: 'file_exception', arguments: FILE }]),
    ];
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: `File a spacing exception for ${WELL}`,
    });
    expect(res.status).toBe(200);
    return res.body as { conversation_id: string; run_id: string; approval_id: string; response: string };
  }

  it('stops with approval_required; the approval carries the exact call; nothing was filed', async () => {
    const filedBefore = h.log.filed.length;
    const run = await pausedRun();
    expect(run).toMatchObject({
      status: 'awaiting_approval',
      approval_required: true,
      approval_id: expect.stringMatching(/^apr-/),
      tools_called: ['lookup_well'],
    });
    expect(h.log.filed).toHaveLength(filedBefore);
    const approval = await h.approval(run.approval_id);
    expect(approval).toMatchObject({
      status: 'pending',
      conversation_id: run.conversation_id,
      run_id: run.run_id,
      checkpoint_type: 'pre_filing',
      on_behalf_of: 'olga',
      // The validated arguments, defaults applied: what runs on approval.
      proposed_action: { tool_name: 'file_exception', arguments: { ...FILE, spacing_ft: 467 } },
    });
    const conv = await h.call('GET', `/conversations/${run.conversation_id}`, h.tokens.operator);
    expect(conv.body.messages.at(-1).content).toContain(run.approval_id);
    // A paused run holds its conversation.
    const again = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'hello?',
      conversation_id: run.conversation_id,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('run_in_progress');
  });

  it('approved: replays the frozen call exactly, then completes and says so', async () => {
    const run = await pausedRun();
    const filedBefore = h.log.filed.length;
    expect((await h.decide(run.approval_id, { decision: 'approved' })).status).toBe(200);
    await h.loop.runOnce();
    const trace = await h.waitForRun(run.conversation_id, run.run_id, ['completed']);
    expect(h.log.filed.slice(filedBefore)).toEqual([{ ...FILE, spacing_ft: 467 }]);
    expect(trace.tools_called).toEqual(['lookup_well', 'file_exception']);
    expect(trace.tool_calls.at(-1)).toMatchObject({
      tool_name: 'file_exception',
      status: 'completed',
      approval_id: run.approval_id,
      result: { status: 'draft' },
    });
    expect(trace.steps.map((s: { node: string }) => s.node)).toEqual([
      'load_context',
      'skills',
      'plan',
      'skills',
      'plan',
      'approval_gate',
      'approval_gate',
      'synthesis',
    ]);
    const conv = await h.call('GET', `/conversations/${run.conversation_id}`, h.tokens.operator);
    expect(conv.body.messages.at(-1).content).toContain('filing_id');
    // Deciding is at-least-once: a second pass does not run it again.
    await h.loop.runOnce();
    expect(h.log.filed.length).toBe(filedBefore + 1);
  });

  it('modified: runs the effective action', async () => {
    const run = await pausedRun();
    const filedBefore = h.log.filed.length;
    const decided = await h.decide(run.approval_id, {
      decision: 'modified',
      modifications: { arguments: { spacing_ft: 500 } },
    });
    expect(decided.status).toBe(200);
    await h.loop.runOnce();
    await h.waitForRun(run.conversation_id, run.run_id, ['completed']);
    expect(h.log.filed.slice(filedBefore)).toEqual([{ ...FILE, spacing_ft: 500 }]);
  });

  it('rejected: the call never runs, the run ends rejected and the conversation says so', async () => {
    const run = await pausedRun();
    const filedBefore = h.log.filed.length;
    await h.decide(run.approval_id, { decision: 'rejected', notes: 'Narrative too thin' });
    await h.loop.runOnce();
    const trace = await h.waitForRun(run.conversation_id, run.run_id, ['rejected']);
    expect(h.log.filed.length).toBe(filedBefore);
    expect(trace.tool_calls.at(-1)).toMatchObject({ tool_name: 'file_exception', status: 'rejected' });
    const conv = await h.call('GET', `/conversations/${run.conversation_id}`, h.tokens.operator);
    expect(conv.body.messages.at(-1).content).toMatch(/rejected file_exception.*Narrative too thin/);
  });

  it('resumes after a restart of the service (decision made while it was down)', async () => {
    const run = await pausedRun();
    const filedBefore = h.log.filed.length;
    await h.restart();
    await h.decide(run.approval_id, { decision: 'approved' });
    await h.loop.scan();
    await h.waitForRun(run.conversation_id, run.run_id, ['completed']);
    expect(h.log.filed.slice(filedBefore)).toEqual([{ ...FILE, spacing_ft: 467 }]);
  });

  it('cancels a paused run: its call never runs, even when approved later', async () => {
    const run = await pausedRun();
    const filedBefore = h.log.filed.length;
    const res = await h.call('POST', `/conversations/${run.conversation_id}/cancel`, h.tokens.operator);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ run_id: run.run_id, status: 'cancelled' });
    await h.decide(run.approval_id, { decision: 'approved' });
    await h.loop.runOnce();
    await h.loop.scan();
    const trace = await h.waitForRun(run.conversation_id, run.run_id, ['cancelled']);
    expect(trace.tool_calls.at(-1).status).toBe('cancelled');
    expect(h.log.filed.length).toBe(filedBefore);
    const again = await h.call('POST', `/conversations/${run.conversation_id}/cancel`, h.tokens.operator);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'no_active_run', request_id: expect.any(String) });
  });

  it('lets only the creator or an operator cancel', async () => {
    h.planner.plan = [turn.calls([{ name: 'file_exception', arguments: FILE }])];
    const res = await h.call('POST', '/execute', h.tokens.viewer, {
      agent_type: 'rule_37',
      user_message: 'file it',
    });
    expect(res.body.approval_required).toBe(true);
    const other = await h.call('POST', `/conversations/${res.body.conversation_id}/cancel`, h.tokens.viewer2);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('insufficient_role');
    const own = await h.call('POST', `/conversations/${res.body.conversation_id}/cancel`, h.tokens.viewer);
    expect(own.status).toBe(200);
  });
});

describe('a decision made before the run stored its pause', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      // The reviewer decides at once, and the outbox consumer passes the decision while the run is
      // not paused yet.
      onApprovalCreated: async (id, harness) => {
        expect((await harness.decide(id, { decision: 'approved' })).status).toBe(200);
        await harness.loop.runOnce();
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('still resumes the run', async () => {
    h.planner.plan = [turn.calls([{ name: 'file_exception', arguments: FILE }])];
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'file',
    });
    expect(res.body.status).toBe('awaiting_approval');
    await h.waitForRun(res.body.conversation_id, res.body.run_id, ['completed']);
    expect(h.log.filed).toEqual([{ ...FILE, spacing_ft: 467 }]);
  });
});

describe('a resume that fails before it claims its run', () => {
  let h: Harness;
  const auth = { down: false };
  beforeAll(async () => {
    h = await startHarness({
      parts: {
        caller: (tenantId) =>
          auth.down
            ? Promise.reject(new Error('auth service down'))
            : Promise.resolve({ token: 't', tenantId }),
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('leaves the run paused, and the next scan resumes it', async () => {
    h.planner.plan = [turn.calls([{ name: 'file_exception', arguments: FILE }])];
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'file',
    });
    await h.engine.idle();
    auth.down = true;
    await h.decide(res.body.approval_id, { decision: 'approved' });
    await h.loop.runOnce();
    await h.engine.idle();
    await new Promise((r) => setTimeout(r, 50));
    const paused = await h.call(
      'GET',
      `/conversations/${res.body.conversation_id}/runs/${res.body.run_id}`,
      h.tokens.operator,
    );
    expect(paused.body.status).toBe('awaiting_approval');
    expect(h.log.filed).toEqual([]);
    auth.down = false;
    await h.loop.scan();
    await h.waitForRun(res.body.conversation_id, res.body.run_id, ['completed']);
    expect(h.log.filed).toEqual([{ ...FILE, spacing_ft: 467 }]);
  });
});
