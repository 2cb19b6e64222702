import { openStore } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { FLARING_MIGRATIONS } from '../migrations';
import {
  deleteFlareEvent,
  findByReading,
  flareVolumes,
  insertFlareEvent,
  linkedIds,
  listFlareEvents,
  unauthorisedVolumes,
  updateFlareEvent,
} from '../flare-events';
import type { FlaringStore } from '../schema';

const fields = (over: Record<string, unknown> = {}) => ({
  well_id: '42329300010000',
  authorization_id: 'R32-1' as string | null,
  start_time: '2026-01-10T00:00:00.000Z',
  end_time: '2026-01-10T12:00:00.000Z',
  volume_mcf: 12.5,
  disposition: '10' as const,
  cause: null,
  status: 'open' as const,
  source: 'manual' as const,
  source_reading_id: null as string | null,
  created_by: 'u1',
  ...over,
});
const page = { limit: 50, offset: 0, sortBy: 'start_time' as const, sortDir: 'asc' as const };
const at = '2026-02-01T00:00:00.000Z';

describeOnBothStores('flare-event store', 'flaring.db', (url) => {
  let store: FlaringStore;

  beforeAll(async () => {
    store = await openStore({ url: url() });
    await store.migrate('flaring-monitor', FLARING_MIGRATIONS);
  });

  afterAll(async () => {
    await store.close();
  });

  it('keeps tenants apart, filters with AND, and reads volumes as numbers', async () => {
    const a = await insertFlareEvent(store, 'default', fields(), at);
    await insertFlareEvent(
      store,
      'default',
      fields({
        disposition: '11',
        start_time: '2026-03-01T00:00:00.000Z',
        end_time: '2026-03-01T01:00:00.000Z',
      }),
      at,
    );
    await insertFlareEvent(
      store,
      'default',
      fields({ authorization_id: null, well_id: '42329300020000' }),
      at,
    );
    await insertFlareEvent(store, 'acme', fields(), at);
    expect((await listFlareEvents(store, 'default', {}, page)).total).toBe(3);
    expect((await listFlareEvents(store, 'acme', {}, page)).total).toBe(1);
    const jan = await listFlareEvents(
      store,
      'default',
      { authorization_id: 'R32-1', to: '2026-01-31T00:00:00.000Z' },
      page,
    );
    expect(jan.rows.map((r) => r.event_id)).toEqual([a.event_id]);
    expect(jan.rows[0].volume_mcf).toBe(12.5);
    expect((await listFlareEvents(store, 'default', { disposition: '11' }, page)).total).toBe(1);
    expect(
      (await flareVolumes(store, 'default', { authorization_id: 'R32-1' })).map((v) => v.volume_mcf),
    ).toEqual([12.5, 12.5]);
    expect((await unauthorisedVolumes(store, 'default')).map((v) => v.well_id)).toEqual(['42329300020000']);
    expect(await linkedIds(store, 'default')).toEqual({
      authorizationIds: ['R32-1'],
      wellIds: ['42329300010000', '42329300020000'],
    });
    expect(await deleteFlareEvent(store, 'acme', a.event_id)).toBe(false);
    await updateFlareEvent(store, 'acme', a.event_id, { status: 'closed' }, at);
    expect((await listFlareEvents(store, 'default', { status: 'closed' }, page)).total).toBe(0);
  });

  it('a reading id is unique per tenant, and the same id may exist in another tenant', async () => {
    await insertFlareEvent(store, 'default', fields({ source_reading_id: 'r-1' }), at);
    await expect(
      insertFlareEvent(store, 'default', fields({ source_reading_id: 'r-1' }), at),
    ).rejects.toThrow();
    await insertFlareEvent(store, 'acme', fields({ source_reading_id: 'r-1' }), at);
    expect((await findByReading(store, 'default', 'r-1'))?.source_reading_id).toBe('r-1');
    // Many events without a reading id (NULLs are distinct in the unique index on both stores).
    await insertFlareEvent(store, 'default', fields(), at);
    await insertFlareEvent(store, 'default', fields(), at);
  });
});
