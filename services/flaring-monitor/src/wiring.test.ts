import { openStore } from '@aegis/common';
import { demoScenario } from '@aegis/demo';
import pino from 'pino';
import { FLARING_MIGRATIONS } from './store/migrations';
import { listFlareEvents } from './store/flare-events';
import type { FlaringStore } from './store/schema';
import { seedDemoFlareEvents } from './wiring';

const page = { limit: 1, offset: 0, sortBy: 'start_time' as const, sortDir: 'asc' as const };

describe('seedDemoFlareEvents', () => {
  let store: FlaringStore;

  beforeEach(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    await store.migrate('flaring-monitor', FLARING_MIGRATIONS);
  });

  afterEach(async () => {
    await store.close();
  });

  it("loads the scenario's flare events for the day into tenant default once, as SCADA readings", async () => {
    const now = Date.parse('2026-11-29T08:00:00Z');
    const expected = demoScenario('2026-11-29').flareEvents;
    expect(expected.length).toBeGreaterThan(0);
    expect(await seedDemoFlareEvents(store, pino({ level: 'silent' }), now)).toBe(expected.length);
    const listed = await listFlareEvents(store, 'default', {}, page);
    expect(listed.total).toBe(expected.length);
    expect(listed.rows[0]).toMatchObject({ source: 'scada', status: 'open', created_by: 'demo' });
    expect(expected.map((e) => e.source_reading_id)).toContain(listed.rows[0].source_reading_id);
    expect((await listFlareEvents(store, 'acme', {}, page)).total).toBe(0);
    // A second start finds them and adds nothing.
    expect(await seedDemoFlareEvents(store, pino({ level: 'silent' }), now + 86_400_000)).toBe(0);
    expect((await listFlareEvents(store, 'default', {}, page)).total).toBe(expected.length);
  });
});
