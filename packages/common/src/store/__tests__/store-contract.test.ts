import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertRow, openStore, selectRows, type Migration, type Store } from '@aegis/common';
import { describeWithPostgres } from '@aegis/testing';
import { storeContract } from './contract';

describe('Store on SQLite (file in a temp dir)', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-store-'));
    store = await openStore({ url: `sqlite:${path.join(dir, 'nested', 'dir', 'contract.db')}` });
  });

  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  storeContract(() => store);

  it('creates parent directories and runs in WAL mode with foreign keys on', async () => {
    expect(fs.existsSync(path.join(dir, 'nested', 'dir', 'contract.db'))).toBe(true);
    expect(await store.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await store.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
  });

  it('never interleaves concurrent transactions (read-modify-write loses no update)', async () => {
    await insertRow(store, 'counters', { name: 'race', value: 0 });
    const trace: string[] = [];
    const bump = (i: number) =>
      store.transaction(async (tx) => {
        trace.push(`start:${i}`);
        const row = await tx.get<{ value: number }>('SELECT value FROM counters WHERE name = ?', ['race']);
        await new Promise((resolve) => setImmediate(resolve)); // give every other caller a chance to run
        await tx.run('UPDATE counters SET value = ? WHERE name = ?', [(row?.value ?? 0) + 1, 'race']);
        trace.push(`end:${i}`);
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i)));
    expect(await store.get('SELECT value FROM counters WHERE name = ?', ['race'])).toEqual({ value: 20 });
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
      await insertRow(q, 'items', { id: 'held', tenant_id: 't' });
      inserted();
      await gate;
    });
    await insertedSignal;
    let readDone = false;
    const read = selectRows(store, 'items', { where: { id: 'held' } }).then((rows) => {
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

  it('works in memory too, and rejects calls after close', async () => {
    const memory = await openStore({ url: 'sqlite::memory:' });
    await memory.migrate('mem', [{ id: '0001', up: 'CREATE TABLE t (id TEXT PRIMARY KEY)' }]);
    await insertRow(memory, 't', { id: 'x' });
    expect(await memory.all('SELECT id FROM t')).toEqual([{ id: 'x' }]);
    await memory.close();
    await expect(memory.all('SELECT 1')).rejects.toThrow(/closed/);
    await expect(memory.ping()).rejects.toThrow(/closed/);
  });
});

describeWithPostgres('Store on PostgreSQL (throwaway server)', (url) => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ url: url(), poolSize: 4 });
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
      expect(await store.get('SELECT COUNT(*) AS n FROM race_log')).toEqual({ n: 1 });
      expect(await store.get("SELECT COUNT(*) AS n FROM schema_migrations WHERE service = 'race'")).toEqual({
        n: 2,
      });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('runs concurrent transactions on separate connections, each committing or rolling back alone', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = store.transaction(async (tx) => {
      await insertRow(tx, 'items', { id: 'doomed', tenant_id: 't' });
      await gate;
      throw new Error('rollback this one');
    });
    await store.transaction(async (tx) => {
      await insertRow(tx, 'items', { id: 'kept', tenant_id: 't' });
    });
    expect(await selectRows(store, 'items', { where: { id: ['doomed', 'kept'] }, columns: ['id'] })).toEqual([
      { id: 'kept' },
    ]);
    release();
    await expect(failing).rejects.toThrow('rollback this one');
    expect(await selectRows(store, 'items', { where: { id: ['doomed', 'kept'] }, columns: ['id'] })).toEqual([
      { id: 'kept' },
    ]);
  });

  it('fails to open an unreachable server instead of resolving a broken store', async () => {
    await expect(openStore({ url: 'postgres://postgres@127.0.0.1:1/aegis' })).rejects.toThrow();
  });
});
