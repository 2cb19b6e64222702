import { createLogger, openStore, type Store } from '@aegis/common';
import type { EventsDb } from '../events/schema';
import { FLARING_MIGRATIONS } from '../store/migrations';
import { StreamHub } from './hub';
import type { StreamEntry } from './log';

const logger = createLogger({ service: 'hub-test', level: 'silent' });

describe('StreamHub', () => {
  let store: Store;
  const clock = { now: 0 };
  beforeAll(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    await store.migrate('flaring-monitor', FLARING_MIGRATIONS);
  });
  afterAll(async () => {
    await store.close();
  });

  /** A row with a chosen seq, as a PostgreSQL transaction that took its seq earlier commits it. */
  const put = (seq: number, tenant = 'a') =>
    (store as EventsDb).db
      .insertInto('stream_log')
      .values({
        seq,
        tenant_id: tenant,
        event_type: 'x',
        data: JSON.stringify({ n: seq }),
        created_at: '2026-01-01',
      })
      .execute();
  const settle = () => new Promise((r) => setTimeout(r, 60));

  it('holds rows back behind a hole in seq until it fills or the grace period passes, then delivers in order', async () => {
    await put(1);
    const hub = new StreamHub({ store, pollMs: 5, logger, gapGraceMs: 1000, now: () => clock.now });
    const got: number[] = [];
    const unsubscribe = await hub.subscribe('a', {
      deliver: (e: StreamEntry) => got.push(e.seq),
      end: () => {},
    });
    await put(3);
    await settle();
    expect(got).toEqual([]);
    await put(2);
    await settle();
    expect(got).toEqual([2, 3]);
    // GIVEN a hole that never fills (a rolled-back transaction) THEN it is skipped after the grace period.
    await put(5);
    await settle();
    expect(got).toEqual([2, 3]);
    clock.now += 1000;
    await settle();
    expect(got).toEqual([2, 3, 5]);
    unsubscribe();
    await hub.close();
  });

  it('delivers only to the row’s tenant and stops polling when the last subscriber leaves', async () => {
    const hub = new StreamHub({ store, pollMs: 5, logger });
    const a: string[] = [];
    const b: string[] = [];
    const offA = await hub.subscribe('a', { deliver: (e) => a.push(e.tenant_id), end: () => {} });
    const offB = await hub.subscribe('b', { deliver: (e) => b.push(e.tenant_id), end: () => {} });
    expect(hub.size()).toBe(2);
    await put(6, 'b');
    await settle();
    expect([a, b]).toEqual([[], ['b']]);
    offA();
    offB();
    expect(hub.size()).toBe(0);
    await hub.close();
  });

  it('polls at once when poked after this process committed rows, not at the next tick', async () => {
    const hub = new StreamHub({ store, pollMs: 60_000, logger });
    const got: number[] = [];
    const off = await hub.subscribe('a', { deliver: (e) => got.push(e.seq), end: () => {} });
    await put(7);
    await settle();
    expect(got).toEqual([]);
    hub.poke();
    await settle();
    expect(got).toEqual([7]);
    off();
    await hub.close();
  });

  it('ends every subscription when the process drains', async () => {
    let draining = false;
    const hub = new StreamHub({ store, pollMs: 5, logger, isDraining: () => draining });
    let ended = 0;
    await hub.subscribe('a', { deliver: () => {}, end: () => (ended += 1) });
    draining = true;
    await settle();
    expect(ended).toBe(1);
    expect(hub.size()).toBe(0);
    await hub.close();
  });
});
