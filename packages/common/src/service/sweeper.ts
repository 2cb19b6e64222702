import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Migration, Store } from '../store/types';

/** The lease table: one row per sweep name. `holder` is the sweeper instance that last took it and
 * `lease_until` (epoch ms) how long it holds; a row whose lease lapsed is free for anyone. */
export interface SweeperTables {
  sweeper_leases: { name: string; holder: string; lease_until: number | string; updated_at: number | string };
}

/**
 * Append these to a service's own list: `store.migrate('flaring-monitor', [...OWN, ...sweeperMigrations])`.
 * The id starts with a letter, so it sorts after every numbered id (`0001_…`) and the list stays
 * ascending when the service adds `0007_…` before it later; ids are recorded per service, so already
 * applied ones are skipped whatever their place. `IF NOT EXISTS` because services sharing one
 * PostgreSQL database each record the migration under their own name but share the table.
 */
export const sweeperMigrations: readonly Migration[] = [
  {
    id: 'sweeper_0001_leases',
    up: `
      CREATE TABLE IF NOT EXISTS sweeper_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        lease_until BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
    `,
  },
];

export interface SweeperOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service's store; only the lease table is used
  store: Store<any>;
  /** The lease name, unique across services sharing a database, e.g. `flaring-monitor.alerts`. */
  name: string;
  /** Time between two sweeps of this sweeper. */
  intervalMs: number;
  /** How long a taken lease holds without renewal (default max(2 × interval, 30 s)); a crashed holder's
   * lease lapses after it and another replica takes over. Renewed every third of it while sweeping. */
  leaseMs?: number;
  /** One sweep; should stop when `signal` aborts (lease lost or sweeper stopping). Must be idempotent. */
  sweep: (signal: AbortSignal) => Promise<void>;
  logger: Logger;
  /** The clock of the lease times (tests fix it). */
  now?: () => number;
  /** Delay of the first sweep after start (default 0). `Infinity`: no timer at all, only `runOnce()`
   * (tests that drive sweeps themselves). */
  initialDelayMs?: number;
}

export interface Sweeper {
  /** Stops the timer, aborts and awaits a running sweep, and frees the lease for the other replicas.
   * Call it before closing the store (e.g. first in the service's `onClose`). */
  stop(): Promise<void>;
  /** Runs one sweep now if this sweeper can take the lease; false when another holder has it (or a
   * sweep of this sweeper is already running). Rejects with the sweep's error. */
  runOnce(): Promise<boolean>;
}

/**
 * Runs `sweep` every `intervalMs` on at most one replica at a time. The lease is a row taken with one
 * atomic conditional UPDATE (`holder = me OR lease_until <= now`), which both SQLite (one writer) and
 * PostgreSQL (the row lock re-checks the WHERE) apply to one winner. The holder keeps the lease after a
 * sweep, so the same replica keeps sweeping until it stops or dies. The lease is an efficiency measure:
 * a sweep that outlives a lost lease can still overlap another, so sweeps must dedupe what they record.
 */
export function startSweeper(opts: SweeperOptions): Sweeper {
  if (opts.name.length === 0) throw new TypeError('Sweeper name must not be empty');
  if (!(opts.intervalMs > 0)) throw new TypeError('Sweeper intervalMs must be positive');
  const now = opts.now ?? Date.now;
  const leaseMs = opts.leaseMs ?? Math.max(2 * opts.intervalMs, 30_000);
  const holder = `${opts.name}:${randomUUID()}`;
  const store = opts.store as Store<SweeperTables>;
  const log = opts.logger.child({ sweeper: opts.name });
  let running: Promise<void> | undefined;
  let current: AbortController | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const take = async (): Promise<boolean> => {
    const t = now();
    await store.db
      .insertInto('sweeper_leases')
      .values({ name: opts.name, holder: '', lease_until: 0, updated_at: t })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const result = await store.db
      .updateTable('sweeper_leases')
      .set({ holder, lease_until: t + leaseMs, updated_at: t })
      .where('name', '=', opts.name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('lease_until', '<=', t)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };

  const renew = async (until: number): Promise<boolean> => {
    const result = await store.db
      .updateTable('sweeper_leases')
      .set({ lease_until: until, updated_at: now() })
      .where('name', '=', opts.name)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };

  const sweepHoldingLease = async (): Promise<void> => {
    const controller = new AbortController();
    current = controller;
    const renewal = setInterval(
      () => {
        renew(now() + leaseMs).then(
          (held) => {
            if (!held && !controller.signal.aborted) {
              log.warn({}, 'Lost the sweep lease; aborted the sweep');
              controller.abort(new Error('sweep lease lost'));
            }
          },
          (err: unknown) => log.warn({ err }, 'Failed to renew the sweep lease'),
        );
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    try {
      await opts.sweep(controller.signal);
    } finally {
      clearInterval(renewal);
      current = undefined;
      // Keep the lease (sticky holder) unless stopping; a lost lease stays lost.
      if (!stopped) await renew(now() + leaseMs);
    }
  };

  const runOnce = async (): Promise<boolean> => {
    if (stopped || running) return false;
    let release!: () => void;
    running = new Promise<void>((resolve) => (release = resolve));
    try {
      if (!(await take())) return false;
      await sweepHoldingLease();
      return true;
    } finally {
      running = undefined;
      release();
    }
  };

  const tick = (): void => {
    timer = undefined;
    runOnce()
      .catch((err: unknown) => log.error({ err }, 'Sweep failed'))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(tick, opts.intervalMs);
          timer.unref();
        }
      });
  };
  const initialDelayMs = opts.initialDelayMs ?? 0;
  if (Number.isFinite(initialDelayMs)) {
    timer = setTimeout(tick, initialDelayMs);
    timer.unref();
  }

  return {
    runOnce,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      current?.abort(new Error('sweeper stopping'));
      await running;
      // Free the lease so another replica sweeps at its next tick instead of after the lease lapses.
      await store.db
        .updateTable('sweeper_leases')
        .set({ lease_until: 0, updated_at: now() })
        .where('name', '=', opts.name)
        .where('holder', '=', holder)
        .execute();
    },
  };
}
