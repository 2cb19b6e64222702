import { describeOnBothStores } from '@aegis/testing';
import { insertRun, newRunRow } from '../store/runs';
import { turn, WELL } from './fixtures';
import { startHarness, type Harness } from './harness';

describeOnBothStores('runs across a restart', 'orchestration-restart.db', (url) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ url: url() });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a run paused at an approval resumes after a restart and runs the frozen call once', async () => {
    h.planner.plan = [turn.calls([{ name: 'file_exception', arguments: { well_id: WELL, narrative: 'n' } }])];
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'file',
    });
    expect(res.body.status).toBe('awaiting_approval');
    await h.restart();
    await h.decide(res.body.approval_id, { decision: 'approved' });
    await h.loop.runOnce();
    await h.loop.runOnce();
    const trace = await h.waitForRun(res.body.conversation_id, res.body.run_id, ['completed']);
    expect(h.log.filed).toEqual([{ well_id: WELL, narrative: 'n', spacing_ft: 467 }]);
    expect(trace.tool_calls.map((t: { status: string }) => t.status)).toEqual(['completed']);
  });

  it('ends a run a stopped process left running, so its conversation is free again', async () => {
    const conv = (await h.call('POST', '/conversations', h.tokens.operator, { agent_type: 'general' })).body;
    const old = new Date(Date.now() - 3600_000).toISOString();
    await insertRun(
      h.store,
      newRunRow({
        run_id: 'run-orphan',
        tenant_id: 'default',
        conversation_id: conv.conversation_id,
        agent_id: 'general-assistant',
        agent_type: 'general',
        agent_version: 1,
        planner: 'model',
        user_id: 'olga',
        user_message: 'hi',
        request_context: null,
        created_at: old,
      }),
    );
    const blocked = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: 'hello',
      conversation_id: conv.conversation_id,
    });
    expect(blocked.status).toBe(409);
    await h.loop.runOnce();
    const trace = await h.waitForRun(conv.conversation_id, 'run-orphan', ['failed']);
    expect(trace.error.code).toBe('interrupted');
    const free = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: 'hello',
      conversation_id: conv.conversation_id,
    });
    expect(free.status).toBe(200);
  });
});
