import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, sql, type Migration, type Store } from '@aegis/common';
import { describeWithPostgres } from '@aegis/testing';
import { LEGACY_MIGRATIONS, LEGACY_MIGRATIONS_TABLE, storeContract, type ContractDatabase } from './contract';

describe('Store on SQLite (file in a temp dir)', () => {
  let dir: string;
  let store: Store<ContractDatabase>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-store-'));
    store = await openStore<ContractDatabase>({
      url: `sqlite:${path.join(dir, 'nested', 'dir', 'contract.db')}`,
    });
  });

  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  storeContract(() => store);

  it('creates parent directories and runs in WAL mode with foreign keys on', async () => {
    expect(fs.existsSync(path.join(dir, 'nested', 'dir', 'contract.db'))).toBe(true);
    expect((await sql`PRAGMA journal_mode`.execute(store.db)).rows).toEqual([{ journal_mode: 'wal' }]);
    expect((await sql`PRAGMA foreign_keys`.execute(store.db)).rows).toEqual([{ foreign_keys: 1 }]);
  });

  it('never interleaves concurrent transactions (read-modify-write loses no update)', async () => {
    await store.db.insertInto('counters').values({ name: 'race', value: 0 }).execute();
    const race = () => store.db.selectFrom('counters').select('value').where('name', '=', 'race');
    const trace: string[] = [];
    const bump = (i: number) =>
      store.transaction(async (tx) => {
        trace.push(`start:${i}`);
        const row = await tx.db
          .selectFrom('counters')
          .select('value')
          .where('name', '=', 'race')
          .executeTakeFirst();
        await new Promise((resolve) => setImmediate(resolve)); // give every other caller a chance to run
        await tx.db
          .updateTable('counters')
          .set({ value: (row?.value ?? 0) + 1 })
          .where('name', '=', 'race')
          .execute();
        trace.push(`end:${i}`);
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i)));
    expect(await race().executeTakeFirst()).toEqual({ value: 20 });
    for (let i = 0; i < trace.length; i += 2) {
      expect(trace[i].replace('start', 'end')).toBe(trace[i + 1]);
    }
  });

  it('makes statements outside a transaction wait until it has committed', async () => {
    let proceed!: () => void;
    const gate = new Promise<void>((resolve) => (proceed = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const tx = store.transaction(async (q) => {
      await q.db.insertInto('items').values({ id: 'held', tenant_id: 't' }).execute();
      inserted();
      await gate;
    });
    await insertedSignal;
    let readDone = false;
    const read = store.db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', 'held')
      .execute()
      .then((rows) => {
        readDone = true;
        return rows;
      });
    try {
      for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(readDone).toBe(false);
    } finally {
      proceed();
    }
    await tx;
    expect(await read).toHaveLength(1);
  });

  it('migrates a database file whose migration table the store before Kysely created', async () => {
    const file = path.join(dir, 'legacy.db');
    const legacy = await openStore({ url: `sqlite:${file}` });
    try {
      await sql.raw(LEGACY_MIGRATIONS_TABLE).execute(legacy.db);
      await sql`CREATE TABLE legacy_a (id TEXT)`.execute(legacy.db);
      await sql`INSERT INTO schema_migrations VALUES ('legacy', '0001_a', '2024-01-01T00:00:00.000Z')`.execute(
        legacy.db,
      );
    } finally {
      await legacy.close();
    }
    const reopened = await openStore({ url: `sqlite:${file}` });
    try {
      await reopened.migrate('legacy', LEGACY_MIGRATIONS);
      const ids = await reopened.db.selectFrom('schema_migrations').select('id').orderBy('id').execute();
      expect(ids).toEqual([{ id: '0001_a' }, { id: '0002_b' }]);
    } finally {
      await reopened.close();
    }
  });

  it('serves the callers waiting for a transaction in arrival order', async () => {
    let proceed!: () => void;
    const gate = new Promise<void>((resolve) => (proceed = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const held = store.transaction(async () => {
      opened();
      await gate;
    });
    await isOpen;
    const done: number[] = [];
    const waiting = [1, 2, 3, 4, 5].map((i) =>
      (i % 2 === 0
        ? store.transaction(async (tx) => sql`SELECT ${i} AS i`.execute(tx.db))
        : sql`SELECT ${i} AS i`.execute(store.db)
      ).then(() => done.push(i)),
    );
    proceed();
    await Promise.all([held, ...waiting]);
    expect(done).toEqual([1, 2, 3, 4, 5]);
  });

  it('works in memory too, and rejects calls after close', async () => {
    const memory = await openStore({ url: 'sqlite::memory:' });
    await memory.migrate('mem', [{ id: '0001', up: 'CREATE TABLE t (id TEXT PRIMARY KEY)' }]);
    await memory.db.insertInto('t').values({ id: 'x' }).execute();
    expect(await memory.db.selectFrom('t').select('id').execute()).toEqual([{ id: 'x' }]);
    await memory.close();
    await expect(sql`SELECT 1`.execute(memory.db)).rejects.toThrow(/closed/);
    await expect(memory.ping()).rejects.toThrow(/closed/);
  });
});

describeWithPostgres('Store on PostgreSQL (throwaway server)', (url) => {
  let store: Store<ContractDatabase>;

  beforeAll(async () => {
    store = await openStore<ContractDatabase>({ url: url(), poolSize: 4 });
  });

  afterAll(async () => {
    await store?.close();
  });

  storeContract(() => store);

  it('applies a migration exactly once when several processes migrate at once', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ url: url(), poolSize: 2 })));
    try {
      const migrations: Migration[] = [
        { id: '0001_race', up: 'CREATE TABLE race_log (n INTEGER)' },
        { id: '0002_race_seed', up: 'INSERT INTO race_log (n) VALUES (1)' },
      ];
      await Promise.all(stores.map((s) => s.migrate('race', migrations)));
      expect((await sql`SELECT COUNT(*) AS n FROM race_log`.execute(store.db)).rows).toEqual([{ n: 1 }]);
      const recorded = sql`SELECT COUNT(*) AS n FROM schema_migrations WHERE service = 'race'`;
      expect((await recorded.execute(store.db)).rows).toEqual([{ n: 2 }]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('runs concurrent transactions on separate connections, each committing or rolling back alone', async () => {
    const both = () =>
      store.db.selectFrom('items').select('id').where('id', 'in', ['doomed', 'kept']).execute();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = store.transaction(async (tx) => {
      await tx.db.insertInto('items').values({ id: 'doomed', tenant_id: 't' }).execute();
      await gate;
      throw new Error('rollback this one');
    });
    await store.transaction(async (tx) => {
      await tx.db.insertInto('items').values({ id: 'kept', tenant_id: 't' }).execute();
    });
    expect(await both()).toEqual([{ id: 'kept' }]);
    release();
    await expect(failing).rejects.toThrow('rollback this one');
    expect(await both()).toEqual([{ id: 'kept' }]);
  });

  it('fails to open an unreachable server instead of resolving a broken store', async () => {
    await expect(openStore({ url: 'postgres://postgres@127.0.0.1:1/aegis' })).rejects.toThrow();
  });
});
