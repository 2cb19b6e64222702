import { isUniqueViolation, openStore } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import {
  appendMessage,
  findConversation,
  insertConversation,
  softDeleteConversation,
} from '../conversations';
import { ORCHESTRATION_MIGRATIONS } from '../migrations';
import { insertEvent, lastEventSeqOf, readEvents } from '../run-events';
import { activeRunRow, insertRun, newRunRow, updateRun, type RunRow } from '../runs';
import type { OrchestrationDatabase, OrchestrationStore } from '../schema';
import { addDailyUsage, approvalCursor, dailyUsage, saveApprovalCursor } from '../usage';

const AT = '2026-06-01T00:00:00.000Z';

function run(id: string, conversation: string, status = 'running'): RunRow {
  return {
    ...newRunRow({
      run_id: id,
      tenant_id: 't1',
      conversation_id: conversation,
      agent_id: 'general-assistant',
      agent_type: 'general',
      agent_version: 1,
      planner: 'deterministic',
      user_id: 'u',
      user_message: 'hi',
      request_context: null,
      created_at: AT,
    }),
    status,
  };
}

describeOnBothStores('orchestration store', 'orchestration-store.db', (url) => {
  let store: OrchestrationStore;
  beforeAll(async () => {
    store = await openStore<OrchestrationDatabase>({ url: url() });
    await store.migrate('orchestration', ORCHESTRATION_MIGRATIONS);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('numbers messages per conversation and hides soft-deleted conversations', async () => {
    await insertConversation(store, 't1', {
      conversation_id: 'c1',
      agent_type: 'general',
      agent_id: 'general-assistant',
      title: 't',
      status: 'active',
      created_by: 'u',
      created_at: AT,
      updated_at: AT,
    });
    const m = { role: 'user' as const, content: 'x', run_id: null, created_at: AT };
    expect((await appendMessage(store, 't1', 'c1', { ...m, message_id: 'm1' })).seq).toBe(1);
    expect((await appendMessage(store, 't1', 'c1', { ...m, message_id: 'm2' })).seq).toBe(2);
    expect(await findConversation(store, 't2', 'c1')).toBeUndefined();
    expect(await softDeleteConversation(store, 't1', 'c1', AT)).toBe(true);
    expect(await findConversation(store, 't1', 'c1')).toBeUndefined();
    expect(await softDeleteConversation(store, 't1', 'c1', AT)).toBe(false);
  });

  it('holds a conversation with one active run at a time, and changes runs conditionally', async () => {
    await insertRun(store, run('r1', 'c2'));
    const second = await insertRun(store, run('r2', 'c2')).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isUniqueViolation(second)).toBe(true);
    await insertRun(store, run('r3', 'c2', 'completed'));
    expect((await activeRunRow(store, 't1', 'c2'))?.run_id).toBe('r1');
    // Of two claims at the same version exactly one wins.
    const claims = await Promise.all(
      ['a', 'b'].map((who) =>
        store.transaction((tx) =>
          updateRun(tx, 't1', 'r1', { status: ['running'], version: 1 }, { response: who }),
        ),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await updateRun(store, 't1', 'r1', { status: ['awaiting_approval'] }, { response: 'c' })).toBe(
      false,
    );
  });

  it('adds daily usage per tenant, agent and day, and keeps the outbox cursor', async () => {
    await addDailyUsage(store, 't1', 'a', '2026-06-01', { tokens: 100, cost_usd: 0.5 });
    await Promise.all([
      addDailyUsage(store, 't1', 'a', '2026-06-01', { tokens: 50, cost_usd: 0.25 }),
      addDailyUsage(store, 't1', 'a', '2026-06-01', { tokens: 50, cost_usd: 0.25 }),
    ]);
    expect(await dailyUsage(store, 't1', 'a', '2026-06-01')).toEqual({ tokens: 200, cost_usd: 1 });
    expect(await dailyUsage(store, 't1', 'a', '2026-06-02')).toEqual({ tokens: 0, cost_usd: 0 });
    expect(await dailyUsage(store, 't2', 'a', '2026-06-01')).toEqual({ tokens: 0, cost_usd: 0 });
    expect(await approvalCursor(store, 't1')).toBe(0);
    await saveApprovalCursor(store, 't1', 7, AT);
    await saveApprovalCursor(store, 't1', 9, AT);
    expect(await approvalCursor(store, 't1')).toBe(9);
  });

  it('reads a conversation’s events after a seq, in order', async () => {
    for (let seq = 1; seq <= 3; seq++)
      await insertEvent(store, 't1', 'c3', seq, { event_type: 'token', content: `t${seq}`, run_id: 'r' }, AT);
    expect(await lastEventSeqOf(store, 't1', 'c3')).toBe(3);
    expect(await lastEventSeqOf(store, 't2', 'c3')).toBe(0);
    const after = await readEvents(store, 't1', 'c3', 1, 10);
    expect(after.map((e) => [e.seq, (e.event as { content: string }).content])).toEqual([
      [2, 't2'],
      [3, 't3'],
    ]);
  });
});
