import pino from 'pino';
import { describeOnBothStores } from '@aegis/testing';
import { openStore } from '../store/open';
import { validateMigrations } from '../store/migrate';
import type { Migration, Store } from '../store/types';
import { startSweeper, sweeperMigrations, type Sweeper, type SweeperOptions } from './sweeper';

const logger = pino({ level: 'silent' });
const OWN: Migration[] = [{ id: '0001_things', up: 'CREATE TABLE things (id TEXT PRIMARY KEY)' }];

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sweeperMigrations', () => {
  it('compose after a service’s numbered migrations, also when it adds more later', () => {
    expect(() => validateMigrations('svc', [...OWN, ...sweeperMigrations])).not.toThrow();
    const later = [...OWN, { id: '0002_more', up: 'SELECT 1' }];
    expect(() => validateMigrations('svc', [...later, ...sweeperMigrations])).not.toThrow();
  });
});

/** Two replicas: one store handle (connection pool / SQLite connection) each, on one database. */
function sweeperContract(url: () => string): void {
  let storeA: Store;
  let storeB: Store;
  let clock = 1_000_000;
  const sweepers: Sweeper[] = [];
  let seq = 0;

  beforeAll(async () => {
    storeA = await openStore({ url: url(), logger });
    storeB = await openStore({ url: url(), logger });
    await storeA.migrate('svc-a', [...OWN, ...sweeperMigrations]);
    // A second service on the same database shares the table (CREATE TABLE IF NOT EXISTS).
    await storeB.migrate('svc-b', sweeperMigrations);
  });

  afterEach(async () => {
    for (const s of sweepers.splice(0)) await s.stop();
  });

  afterAll(async () => {
    await storeA.close();
    await storeB.close();
  });

  /** A sweeper on `store` under the lease name of this test, driven by runOnce only. */
  const sweeper = (store: Store, name: string, sweep: SweeperOptions['sweep'], leaseMs = 90): Sweeper => {
    const s = startSweeper({
      store,
      name,
      intervalMs: 60_000,
      leaseMs,
      sweep,
      logger,
      now: () => clock,
      initialDelayMs: Infinity,
    });
    sweepers.push(s);
    return s;
  };

  it('gives the lease to one sweeper: the other cannot sweep while it sweeps, nor after', async () => {
    const name = `t${++seq}`;
    const g = gate();
    const a = sweeper(storeA, name, () => g.promise);
    let bSwept = 0;
    const b = sweeper(storeB, name, async () => {
      bSwept++;
    });
    const first = a.runOnce();
    await sleep(20);
    expect(await b.runOnce()).toBe(false);
    g.open();
    expect(await first).toBe(true);
    // The holder keeps its lease between sweeps: the other replica still waits, the holder sweeps again.
    expect(await b.runOnce()).toBe(false);
    expect(bSwept).toBe(0);
  });

  it('lets the other sweeper take over once the holder’s lease lapses', async () => {
    const name = `t${++seq}`;
    const a = sweeper(storeA, name, async () => undefined, 5_000);
    const b = sweeper(storeB, name, async () => undefined, 5_000);
    expect(await a.runOnce()).toBe(true);
    clock += 4_999;
    expect(await b.runOnce()).toBe(false);
    clock += 1;
    expect(await b.runOnce()).toBe(true);
    expect(await a.runOnce()).toBe(false);
  });

  it('frees the lease on stop, so the other sweeper sweeps at once', async () => {
    const name = `t${++seq}`;
    const a = sweeper(storeA, name, async () => undefined, 60_000);
    const b = sweeper(storeB, name, async () => undefined, 60_000);
    expect(await a.runOnce()).toBe(true);
    expect(await b.runOnce()).toBe(false);
    await a.stop();
    expect(await b.runOnce()).toBe(true);
  });

  it('aborts a sweep whose lease another sweeper took after it lapsed', async () => {
    const name = `t${++seq}`;
    let aborted: unknown;
    const a = sweeper(storeA, name, async (signal) => {
      clock += 1_000; // the holder stalls past its 90 ms lease …
      expect(await b.runOnce()).toBe(true); // … the other replica takes over …
      const deadline = Date.now() + 2_000;
      while (!signal.aborted && Date.now() < deadline) await sleep(5);
      aborted = signal.aborted; // … and the holder's next renewal (every 30 ms) aborts it.
    });
    const b = sweeper(storeB, name, async () => undefined);
    expect(await a.runOnce()).toBe(true);
    expect(aborted).toBe(true);
    // The lease stays with the new holder.
    expect(await a.runOnce()).toBe(false);
  });

  it('never runs two sweeps at the same time when both race for a lapsed lease', async () => {
    const name = `t${++seq}`;
    let active = 0;
    let maxActive = 0;
    const sweep = async (): Promise<void> => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(15);
      active--;
    };
    const a = sweeper(storeA, name, sweep, 1_000);
    const b = sweeper(storeB, name, sweep, 1_000);
    for (let round = 0; round < 8; round++) {
      const results = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(results.filter(Boolean)).toHaveLength(1);
      clock += 1_001; // the lease lapses: both race again
    }
    expect(maxActive).toBe(1);
  });

  it('sweeps on its own every interval, and a failing sweep does not stop it', async () => {
    const name = `t${++seq}`;
    let runs = 0;
    const s = startSweeper({
      store: storeA,
      name,
      intervalMs: 10,
      sweep: async () => {
        runs++;
        if (runs === 1) throw new Error('upstream down');
      },
      logger,
    });
    sweepers.push(s);
    const deadline = Date.now() + 3_000;
    while (runs < 3 && Date.now() < deadline) await sleep(5);
    expect(runs).toBeGreaterThanOrEqual(3);
  });
}

describeOnBothStores('startSweeper', 'sweeper.db', sweeperContract);
