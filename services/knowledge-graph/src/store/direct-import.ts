import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  AsyncMutex,
  ConflictError,
  NotFoundError,
  openStore,
  parseStoreUrl,
  sql,
  ValidationError,
  type Logger,
  type Queryable,
} from '@aegis/common';
import {
  addCounts,
  emptyCounts,
  endpointIssues,
  missingEntities,
  upsertEdges,
  upsertEntities,
  type ApplyCounts,
} from './apply';
import type { PreparedBatch } from './batch';
import { KeySet, packBatch, unpackEdges, unpackEntities, type PackedBatch } from './packed-batch';
import { edgeIdTime } from './edges';
import { edgeIdSql } from './staged';
import type { GraphDatabase, GraphDb, GraphStore } from './schema';

/** Imports on a SQLite file store, applied as they arrive (ADR 0032).
 *
 * SQLite has one writer. A staged import (imports.ts) does its B-tree work at the commit, after the
 * last batch, on that one writer and with nothing to overlap it. Here an import instead opens one
 * write transaction on a connection of its own at its first batch and writes each batch straight
 * into the graph's tables; the commit is that transaction's COMMIT, a discard its ROLLBACK. It stays
 * atomic: the service's other connection reads the last committed state (WAL), so no reader sees a
 * half-loaded import. A batch is answered once it is checked (its edges' endpoints exist); it is then
 * written before anything else of the import happens, while the sender prepares and sends the next
 * one, so the upload's B-tree work overlaps the sender's. A batch refused by the check writes nothing;
 * one that then fails to write (the disk, say) rolls the whole import back.
 *
 * While such an import is open it holds the graph's write lock: every other write transaction of the
 * service (`store` below) waits for it, in arrival order, and reads never wait (with the staged path,
 * a commit held the service's one connection, reads included). An import that receives nothing for
 * `idleMs` is rolled back and discarded, so a sender that died cannot hold the lock; one a previous
 * process left applying is marked discarded at start. In-memory stores (one connection) and
 * PostgreSQL keep the staged path. */

/** Entity keys remembered as existing, per generation (the import holds the write lock, so nothing
 * deletes them before its commit): bounded, so memory stays flat however large the upload. */
const KNOWN_KEYS = 50_000;
const DEFAULT_IDLE_MS = 30_000;

/** The page size of a new SQLite file of the graph: 8 KiB pages hold twice the index entries of the
 * default 4 KiB, so a bulk load's inserts split and touch fewer pages. A 1M-row `full` upload ran at
 * 24.2–25.9k rows/s against 23.4–24.6k (ADR 0032). An existing file keeps its own page size. */
export const GRAPH_SQLITE_PAGE_SIZE = 8192;
const APPLYING = 'applying';

interface Running {
  tenant: string;
  id: string;
  tx: GraphDb;
  /** Serialises this import's batches and its end. */
  queue: AsyncMutex;
  counts: ApplyCounts;
  /** The next edge's number within the import (its id: edgeIdSql in staged.ts). */
  nextEdge: number;
  time: string;
  random: string;
  /** Plain INSERTs until one meets a stored item (a re-upload), then the merging path. */
  hopeful: boolean;
  known: KnownKeys;
  idle?: NodeJS.Timeout;
  touched: number;
  /** How it ended, once it has. */
  closedAs?: 'committed' | 'discarded';
  /** Ends the transaction: commit (resolve) or roll back (reject). */
  end: (commit: boolean) => void;
  ended: Promise<void>;
  releaseGate: () => void;
}

export interface DirectImportOptions {
  logger?: Logger;
  /** Rolls back an import that received nothing for this long (ms). */
  idleMs?: number;
}

class Rollback extends Error {}

/** A thread with its own connection that copies committed WAL frames into the database file (a
 * PASSIVE checkpoint) when asked. An import's commit leaves its whole upload in the WAL (~1.5 KiB per
 * row); copying it is ~0.3 s of disk work per 100k rows that would otherwise hold the event loop
 * right after the COMMIT. Plain JavaScript, so it runs the same from the sources and the build. */
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
parentPort.on('message', () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String(err && err.message) });
  }
});
`;

class Checkpointer {
  private readonly worker: Worker;

  constructor(filename: string, logger?: Logger) {
    this.worker = new Worker(CHECKPOINT_THREAD, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), filename },
    });
    this.worker.unref();
    this.worker.on('message', (m: { ok: boolean; message?: string }) => {
      if (!m.ok)
        logger?.warn({ err: m.message }, 'WAL checkpoint failed; SQLite checkpoints on a later write');
    });
    this.worker.on('error', (err) => logger?.warn({ err }, 'The checkpoint thread stopped'));
  }

  request(): void {
    this.worker.postMessage('checkpoint');
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** A bounded KeySet in two generations: when the young one fills it becomes the old one, and a key
 * found only in the old one moves back to the young one, so keys named again and again (an upload's
 * operators, leases and fields) stay while the rest (its wells) age out. */
class KnownKeys {
  private young = new KeySet();
  private old = new KeySet();

  constructor(private readonly most: number) {}

  has(label: string, id: string): boolean {
    if (this.young.has(label, id)) return true;
    if (!this.old.has(label, id)) return false;
    this.add(label, id);
    return true;
  }

  add(label: string, id: string): void {
    if (this.young.size >= this.most) {
      this.old = this.young;
      this.young = new KeySet();
    }
    this.young.add(label, id);
  }
}

/** The SQLite error of an INSERT that met an existing key. */
function isConstraint(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

export class DirectImports {
  /** The service's store with its write transactions behind the import write lock: use it for every
   * write (reads may use it too). */
  readonly store: GraphStore;
  private readonly gate = new AsyncMutex();
  private readonly running = new Map<string, Running>();
  private readonly starting = new Map<string, Promise<Running>>();
  private readonly idleMs: number;
  private closed = false;

  private constructor(
    private readonly main: GraphStore,
    private readonly writer: GraphStore,
    private readonly checkpointer: Checkpointer,
    private readonly options: DirectImportOptions,
  ) {
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    const gate = this.gate;
    this.store = {
      dialect: main.dialect,
      get db() {
        return main.db;
      },
      transaction: (fn) => gate.run(() => main.transaction(fn)),
      migrate: (service, migrations) => gate.run(() => main.migrate(service, migrations)),
      ping: () => main.ping(),
      close: () => main.close(),
    };
  }

  /** Direct imports for `main` when it is a SQLite file store at `url`; undefined otherwise. Marks the
   * imports a previous process left applying as discarded. */
  static async open(
    main: GraphStore,
    url: string,
    options: DirectImportOptions = {},
  ): Promise<DirectImports | undefined> {
    const target = parseStoreUrl(url);
    if (main.dialect !== 'sqlite' || target.dialect !== 'sqlite' || target.filename === ':memory:')
      return undefined;
    const writer = await openStore<GraphDatabase>({ url, logger: options.logger });
    // The import connection never checkpoints on its commits: the checkpoint thread does, after them.
    await sql.raw('PRAGMA wal_autocheckpoint = 0').execute(writer.db);
    // As the staged commit's connection (imports.ts, ADR 0026): a bounded 64 MiB page cache, and
    // statement journals in memory.
    await sql.raw(`PRAGMA cache_size = -${64 * 1024}`).execute(writer.db);
    await sql.raw('PRAGMA temp_store = MEMORY').execute(writer.db);
    const lost = await main.transaction(async ({ db }) =>
      db
        .updateTable('kg_imports')
        .set({ status: 'discarded', updated_at: new Date().toISOString() })
        .where('status', '=', APPLYING)
        .executeTakeFirst(),
    );
    const lostCount = Number(lost.numUpdatedRows);
    if (lostCount > 0)
      options.logger?.warn({ imports: lostCount }, 'Discarded imports a previous process left applying');
    return new DirectImports(main, writer, new Checkpointer(target.filename, options.logger), options);
  }

  /** Whether batches of import `id` go here (open, nothing staged) or to the staged path. */
  async takes(tenant: string, id: string): Promise<boolean> {
    if (this.running.has(id) || this.starting.has(id)) return true;
    const row = await this.main.db
      .selectFrom('kg_imports')
      .select(['status', 'staged'])
      .where((eb) => eb.and({ import_id: id, tenant_id: tenant }))
      .executeTakeFirst();
    return row !== undefined && row.status === 'open' && Number(row.staged) === 0;
  }

  /** Whether import `id` is applying here (its commit and discard come here). */
  holds(id: string): boolean {
    return this.running.has(id) || this.starting.has(id);
  }

  /** Takes a prepared batch; the number of items. Edge endpoints must exist (in this batch, in the
   * import's earlier batches or in the graph): 422 naming the edges otherwise, and nothing of the batch
   * is applied. The answer comes once the batch is checked; it is applied right after, before anything
   * else of this import, so the sender's next batch travels while this one is written. A batch that
   * then fails to apply (the disk, say) rolls the import back: its next call answers 409. */
  async stage(tenant: string, id: string, prepared: PreparedBatch, now: string): Promise<number> {
    const batch = packBatch(prepared);
    const run = await this.runningImport(tenant, id, now);
    return new Promise<number>((resolve, reject) => {
      void run.queue.run(async () => {
        try {
          this.assertLive(run);
          this.touch(run);
          await this.checkEndpoints(run, batch);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        resolve(batch.entityCount + batch.edgeCount);
        try {
          run.counts = addCounts(run.counts, await this.apply(run, batch, now));
          run.nextEdge += batch.edgeCount;
          this.touch(run);
        } catch (err) {
          this.options.logger?.error(
            { err, import_id: run.id },
            'An import batch failed to apply; rolled back',
          );
          await this.rollBack(run, new Date().toISOString()).catch(() => undefined);
        }
      });
    });
  }

  /** Commits import `id`: what its batches applied becomes visible at once. */
  async commit(tenant: string, id: string, now: string): Promise<ApplyCounts> {
    const run = await this.heldImport(tenant, id);
    return run.queue.run(async () => {
      this.assertLive(run);
      await run.tx.db
        .updateTable('kg_imports')
        .set({ status: 'committed', updated_at: now })
        .where('import_id', '=', id)
        .execute();
      this.finish(run, 'committed');
      run.end(true);
      try {
        await run.ended;
        this.checkpointer.request();
      } catch (err) {
        // COMMIT itself failed (the disk, say): nothing was applied, the import is over.
        run.closedAs = 'discarded';
        await this.markDiscarded(id, now).catch(() => undefined);
        throw err;
      } finally {
        run.releaseGate();
      }
      return run.counts;
    });
  }

  /** Discards import `id`: its batches are rolled back. */
  async discard(tenant: string, id: string, now: string): Promise<void> {
    const run = await this.heldImport(tenant, id);
    await run.queue.run(() => this.rollBack(run, now));
  }

  /** Rolls back every import still applying (shutdown) and closes the import connection. */
  async close(): Promise<void> {
    this.closed = true;
    const now = new Date().toISOString();
    for (const run of [...this.running.values()]) await run.queue.run(() => this.rollBack(run, now));
    await this.checkpointer.close();
    await this.writer.close();
  }

  /** The import `id` applying (or starting) here for `tenant`: 404 otherwise. */
  private async heldImport(tenant: string, id: string): Promise<Running> {
    const run = this.running.get(id) ?? (await this.starting.get(id));
    if (!run || run.tenant !== tenant) throw new NotFoundError('Import not found', 'import_not_found');
    return run;
  }

  /** Marks import `id` discarded, on the main connection (its own transaction has ended). */
  private async markDiscarded(id: string, now: string): Promise<void> {
    await this.main.transaction(({ db }) =>
      db
        .updateTable('kg_imports')
        .set({ status: 'discarded', updated_at: now })
        .where('import_id', '=', id)
        .execute(),
    );
  }

  private assertLive(run: Running): void {
    if (this.running.get(run.id) !== run)
      throw new ConflictError(`Import is already ${run.closedAs ?? 'discarded'}`, 'import_closed');
  }

  private touch(run: Running): void {
    if (run.idle) clearTimeout(run.idle);
    run.touched = Date.now();
    run.idle = setTimeout(() => {
      void run.queue
        .run(async () => {
          // Queued behind a batch, the import may have been touched since the timer fired.
          if (this.running.get(run.id) !== run || Date.now() - run.touched < this.idleMs) return;
          this.options.logger?.warn(
            { import_id: run.id, idle_ms: this.idleMs },
            'Rolled back an import that received nothing for too long',
          );
          await this.rollBack(run, new Date().toISOString());
        })
        .catch((err: unknown) =>
          this.options.logger?.error({ err, import_id: run.id }, 'Failed to roll back an idle import'),
        );
    }, this.idleMs);
    run.idle.unref();
  }

  private finish(run: Running, as: 'committed' | 'discarded'): void {
    if (run.idle) clearTimeout(run.idle);
    run.closedAs = as;
    this.running.delete(run.id);
  }

  private async rollBack(run: Running, now: string): Promise<void> {
    if (this.running.get(run.id) !== run) return;
    this.finish(run, 'discarded');
    run.end(false);
    await run.ended.catch(() => undefined);
    try {
      await this.markDiscarded(run.id, now);
    } finally {
      run.releaseGate();
    }
  }

  private async runningImport(tenant: string, id: string, now: string): Promise<Running> {
    // No await before `starting` is set: two first batches arriving together start the import once.
    const known = this.running.get(id) ?? this.starting.get(id);
    const run = await (known ?? this.startOnce(tenant, id, now));
    if (run.tenant !== tenant) throw new NotFoundError('Import not found', 'import_not_found');
    return run;
  }

  private startOnce(tenant: string, id: string, now: string): Promise<Running> {
    const start = this.start(tenant, id, now).finally(() => this.starting.delete(id));
    this.starting.set(id, start);
    return start;
  }

  /** Takes the write lock, marks the import applying and opens its transaction. */
  private async start(tenant: string, id: string, now: string): Promise<Running> {
    const releaseGate = await this.gate.acquire();
    try {
      if (this.closed) throw new ConflictError('The service is shutting down', 'import_closed');
      const row = await this.main.transaction(async ({ db }) => {
        const found = await db
          .selectFrom('kg_imports')
          .select(['status'])
          .where((eb) => eb.and({ import_id: id, tenant_id: tenant }))
          .executeTakeFirst();
        if (found?.status === 'open')
          await db
            .updateTable('kg_imports')
            .set({ status: APPLYING, updated_at: now })
            .where('import_id', '=', id)
            .execute();
        return found;
      });
      if (!row) throw new NotFoundError('Import not found', 'import_not_found');
      if (row.status !== 'open') throw new ConflictError(`Import is already ${row.status}`, 'import_closed');
      let opened!: (tx: GraphDb) => void;
      let end!: (commit: boolean) => void;
      const txReady = new Promise<GraphDb>((resolve) => {
        opened = resolve;
      });
      const outcome = new Promise<void>((resolve, reject) => {
        end = (commit) => (commit ? resolve() : reject(new Rollback('import rolled back')));
      });
      const ended = this.writer.transaction(async (tx: Queryable<GraphDatabase>) => {
        opened(tx);
        await outcome;
      });
      // The transaction may fail to open (BEGIN): surface that instead of waiting for `opened`.
      const tx = await Promise.race([
        txReady,
        ended.then(() => {
          throw new Error('import transaction ended before it opened');
        }),
      ]);
      const run: Running = {
        tenant,
        id,
        tx,
        queue: new AsyncMutex(),
        counts: emptyCounts(),
        nextEdge: 0,
        time: edgeIdTime(Date.now()),
        random: randomBytes(4).toString('hex'),
        hopeful: true,
        known: new KnownKeys(KNOWN_KEYS),
        touched: Date.now(),
        end,
        ended,
        releaseGate,
      };
      ended.catch(() => undefined);
      this.running.set(id, run);
      this.touch(run);
      return run;
    } catch (err) {
      releaseGate();
      throw err;
    }
  }

  /** 422 when an edge names an entity that is neither in this batch, nor in an earlier batch of the
   * import, nor in the graph. Remembers the batch's entities for the next batches' checks. */
  private async checkEndpoints(run: Running, batch: PackedBatch): Promise<void> {
    const ask: { label: string; id: string }[] = [];
    const ends = batch.externalEnds;
    for (let k = 0; k < ends.length; k += 2)
      if (!run.known.has(ends[k], ends[k + 1])) ask.push({ label: ends[k], id: ends[k + 1] });
    if (ask.length > 0) {
      // Inside this transaction the graph holds the import's earlier batches (applied in order).
      const missing = await missingEntities(run.tx, run.tenant, ask);
      if (missing.size > 0) throw new ValidationError(endpointIssues(unpackEdges(batch), missing));
      for (const k of ask) run.known.add(k.label, k.id);
    }
    const keys = batch.entityKeys;
    for (let k = 0; k < keys.length; k += 2) run.known.add(keys[k], keys[k + 1]);
  }

  private async apply(run: Running, batch: PackedBatch, now: string): Promise<ApplyCounts> {
    const { tx, tenant } = run;
    const counts = emptyCounts();
    if (batch.entityCount > 0) {
      const created = run.hopeful ? await this.plain(run, entityInsert(tx, tenant, batch, now)) : undefined;
      if (created !== undefined) counts.created = created;
      else Object.assign(counts, await upsertEntities(tx, tenant, unpackEntities(batch), now));
    }
    if (batch.edgeCount > 0) {
      const created = run.hopeful
        ? await this.plain(run, edgeInsert(tx, tenant, batch, now, run))
        : undefined;
      if (created !== undefined) counts.edges_created = created;
      else Object.assign(counts, await upsertEdges(tx, tenant, unpackEdges(batch), now));
    }
    return counts;
  }

  /** A plain INSERT (no ON CONFLICT) of items believed new; its row count, or undefined when an item
   * existed (SQLite undid the statement; the caller merges, and so does every later batch). */
  private async plain(run: Running, insert: () => Promise<number>): Promise<number | undefined> {
    try {
      return await insert();
    } catch (err) {
      if (!isConstraint(err)) throw err;
      run.hopeful = false;
      return undefined;
    }
  }
}

function entityInsert(tx: GraphDb, tenant: string, batch: PackedBatch, now: string): () => Promise<number> {
  return async () => {
    // In key order, which spares SQLite a third of the B-tree work of random order (measured).
    const done =
      await sql`INSERT INTO kg_entities (tenant_id, label, entity_id, properties, latitude, longitude, created_at, updated_at)
SELECT ${tenant}, j.value ->> 0, j.value ->> 1, j.value -> 2, j.value ->> 3, j.value ->> 4, ${now}, ${now}
FROM jsonb_each(jsonb(${batch.entityRows})) AS j WHERE 1 = 1 ORDER BY 2, 3`.execute(tx.db);
    return Number(done.numAffectedRows ?? 0n);
  };
}

function edgeInsert(
  tx: GraphDb,
  tenant: string,
  batch: PackedBatch,
  now: string,
  run: Pick<Running, 'nextEdge' | 'time' | 'random'>,
): () => Promise<number> {
  return async () => {
    // Version-7 ids numbered within the import, as the staged commit numbers its items.
    const id = edgeIdSql('sqlite', run.time, run.random, sql`(${run.nextEdge} + j.key)`);
    const done =
      await sql`INSERT INTO kg_edges (edge_id, tenant_id, from_label, from_id, rel_type, to_label, to_id, properties, created_at, updated_at)
SELECT ${id},
  ${tenant}, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value -> 5, ${now}, ${now}
FROM jsonb_each(jsonb(${batch.edgeRows})) AS j WHERE 1 = 1`.execute(tx.db);
    return Number(done.numAffectedRows ?? 0n);
  };
}
