import { OutboxSignal } from '@aegis/approvals';
import { createLogger, openStore } from '@aegis/common';
import { ORCHESTRATION_MIGRATIONS } from '../store/migrations';
import { readEvents } from '../store/run-events';
import type { OrchestrationDatabase, OrchestrationStore } from '../store/schema';
import type { EngineDeps } from './deps';
import { RunRecorder } from './recorder';

describe('RunRecorder', () => {
  let store: OrchestrationStore;
  beforeAll(async () => {
    store = await openStore<OrchestrationDatabase>({ url: 'sqlite::memory:' });
    await store.migrate('orchestration', ORCHESTRATION_MIGRATIONS);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('numbers a conversation’s events on, even when two recorders of it write at once', async () => {
    const deps = {
      store,
      events: new OutboxSignal(),
      logger: createLogger({ service: 't', level: 'silent' }),
      now: Date.now,
    } as unknown as EngineDeps;
    const open = (runId: string) =>
      RunRecorder.open(deps, { tenant: 't', conversationId: 'c', runId, agentId: 'a' });
    // A cancelled run's recorder and the next run's, opened before either wrote.
    const [old, next] = [await open('r1'), await open('r2')];
    await old.emit({ event_type: 'error', code: 'cancelled', message: 'x', run_id: 'r1' });
    await next.emit({ event_type: 'agent_status', status: 'thinking', node: 'load_context', run_id: 'r2' });
    await next.emit({ event_type: 'token', content: 'hi', run_id: 'r2' });
    const events = await readEvents(store, 't', 'c', 0, 10);
    expect(events.map((e) => [e.seq, e.event.run_id, e.event.event_type])).toEqual([
      [1, 'r1', 'error'],
      [2, 'r2', 'agent_status'],
      [3, 'r2', 'token'],
    ]);
  });
});
