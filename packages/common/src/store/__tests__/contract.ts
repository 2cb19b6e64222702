import {
  countRows,
  deleteRows,
  insertRow,
  isForeignKeyViolation,
  isUniqueViolation,
  listRows,
  parseListParams,
  selectRow,
  selectRows,
  updateRows,
  upsertRow,
  type Migration,
  type Store,
} from '@aegis/common';

/** The schema every contract run uses; it follows the portable column rules of ADR 0002. */
export const contractMigrations: Migration[] = [
  {
    id: '0001_items',
    up: `
      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        name TEXT,
        qty INTEGER,
        big BIGINT,
        price DOUBLE PRECISION,
        active INTEGER NOT NULL DEFAULT 0,
        created_at TEXT,
        payload BYTEA
      );
      CREATE INDEX items_tenant ON items (tenant_id);
      CREATE TABLE tags (
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (item_id, tag)
      );`,
  },
  {
    id: '0002_counters',
    up: async (db) => {
      await db.run('CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)');
    },
  },
];

const T = 'tenant-a';
const at = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123));

/** What every store must return for the same row: identical JS values and types on both dialects. */
const roundTripRow = {
  id: 'r1',
  tenant_id: T,
  name: `Zoë's "quoted" ? name`,
  qty: -42,
  big: 9007199254740993n,
  price: 0.1,
  active: 1,
  created_at: '2024-02-29T23:59:58.123Z',
  payload: Buffer.from([0, 1, 2, 254, 255]),
};

/** Defines the behaviour both stores share. `getStore` is called inside tests, after beforeAll. */
export function storeContract(getStore: () => Store): void {
  const db = () => getStore();

  beforeAll(async () => {
    await db().migrate('contract', contractMigrations);
  });

  beforeEach(async () => {
    await db().run('DELETE FROM tags');
    await db().run('DELETE FROM items');
    await db().run('DELETE FROM counters');
  });

  it('answers ping', async () => {
    await expect(db().ping()).resolves.toBeUndefined();
  });

  it('creates, reads, updates and deletes rows through the builder', async () => {
    await insertRow(db(), 'items', { id: 'a', tenant_id: T, name: 'apple', qty: 3 });
    await insertRow(db(), 'items', { id: 'b', tenant_id: 'other', name: 'apple', qty: 9 });
    expect(await selectRow(db(), 'items', { tenant_id: T, id: 'a' }, ['id', 'name', 'qty'])).toEqual({
      id: 'a',
      name: 'apple',
      qty: 3,
    });
    expect(await updateRows(db(), 'items', { qty: 4, name: undefined }, { tenant_id: T, id: 'a' })).toBe(1);
    expect(await updateRows(db(), 'items', { qty: 5 }, { tenant_id: T, id: 'missing' })).toBe(0);
    expect((await selectRow<{ qty: number; name: string }>(db(), 'items', { id: 'a' }))?.qty).toBe(4);
    expect(await deleteRows(db(), 'items', { tenant_id: T, name: 'apple' })).toBe(1);
    expect(await selectRow(db(), 'items', { id: 'a' })).toBeUndefined();
    expect(await countRows(db(), 'items')).toBe(1);
  });

  it('round-trips every portable type to identical JS values', async () => {
    await insertRow(db(), 'items', { ...roundTripRow, active: true, created_at: at });
    await insertRow(db(), 'items', { id: 'r2', tenant_id: T, qty: 2, active: false, name: null });
    const rows = await selectRows(db(), 'items', { where: { tenant_id: T }, orderBy: { column: 'id' } });
    expect(rows).toEqual([
      roundTripRow,
      {
        id: 'r2',
        tenant_id: T,
        name: null,
        qty: 2,
        big: null,
        price: null,
        active: 0,
        created_at: null,
        payload: null,
      },
    ]);
    expect(Buffer.isBuffer(rows[0].payload)).toBe(true);
    expect(typeof rows[0].big).toBe('bigint');
    expect(typeof rows[0].qty).toBe('number');
  });

  it('returns numbers for COUNT, SUM, MAX and comparisons, and leaves ? inside literals alone', async () => {
    await insertRow(db(), 'items', { id: 'a', tenant_id: T, qty: 2, big: 10 });
    await insertRow(db(), 'items', { id: 'b', tenant_id: T, qty: 5, big: 20 });
    const row = await db().get(
      `SELECT COUNT(*) AS n, SUM(qty) AS total, MAX(big) AS top, COUNT(*) > 1 AS many, '?' AS q
         FROM items WHERE tenant_id = ? AND name IS NULL`,
      [T],
    );
    expect(row).toEqual({ n: 2, total: 7, top: 20, many: 1, q: '?' });
    expect(await countRows(db(), 'items', { tenant_id: T, qty: { op: '>', value: 2 } })).toBe(1);
    expect(await countRows(db(), 'items', { tenant_id: 'nobody' })).toBe(0);
  });

  it('commits a transaction and returns its result', async () => {
    const result = await db().transaction(async (tx) => {
      await insertRow(tx, 'items', { id: 'a', tenant_id: T });
      await insertRow(tx, 'tags', { item_id: 'a', tag: 'red' });
      return countRows(tx, 'tags');
    });
    expect(result).toBe(1);
    expect(await countRows(db(), 'items')).toBe(1);
  });

  it('rolls everything back when the transaction callback throws', async () => {
    const failure = db().transaction(async (tx) => {
      await insertRow(tx, 'items', { id: 'a', tenant_id: T });
      await insertRow(tx, 'tags', { item_id: 'a', tag: 'red' });
      throw new Error('changed my mind');
    });
    await expect(failure).rejects.toThrow('changed my mind');
    expect(await countRows(db(), 'items')).toBe(0);
    expect(await countRows(db(), 'tags')).toBe(0);
  });

  it('rolls back when a statement inside fails and reports constraint violations portably', async () => {
    await insertRow(db(), 'items', { id: 'a', tenant_id: T });
    const duplicate = db().transaction(async (tx) => {
      await insertRow(tx, 'items', { id: 'b', tenant_id: T });
      await insertRow(tx, 'items', { id: 'a', tenant_id: T });
    });
    const err = await duplicate.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(err)).toBe(true);
    expect(await countRows(db(), 'items')).toBe(1);
    const orphan = await insertRow(db(), 'tags', { item_id: 'nope', tag: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isForeignKeyViolation(orphan)).toBe(true);
    expect(isUniqueViolation(orphan)).toBe(false);
  });

  it('refuses a finished tx handle and the store itself inside its own transaction', async () => {
    let leaked: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
    await db().transaction(async (tx) => {
      leaked = tx;
      await expect(db().get('SELECT 1 AS one')).rejects.toThrow(/inside its own open transaction/);
      await expect(db().transaction(async () => 1)).rejects.toThrow(/nested transactions are not supported/);
    });
    await expect(leaked!.get('SELECT 1 AS one')).rejects.toThrow(/already finished/);
    await expect(db().get('SELECT 1 AS one')).resolves.toEqual({ one: 1 });
  });

  it('upserts: inserts, updates the chosen columns on conflict, or does nothing', async () => {
    expect(await upsertRow(db(), 'counters', { name: 'hits', value: 1 }, ['name'], ['value'])).toBe(1);
    expect(await upsertRow(db(), 'counters', { name: 'hits', value: 7 }, ['name'], ['value'])).toBe(1);
    expect(await selectRow(db(), 'counters', { name: 'hits' })).toEqual({ name: 'hits', value: 7 });
    expect(await upsertRow(db(), 'counters', { name: 'hits', value: 9 }, ['name'], [])).toBe(0);
    expect(await selectRow(db(), 'counters', { name: 'hits' })).toEqual({ name: 'hits', value: 7 });
  });

  it('orders, pages and counts identically, with NULLs first ascending and byte-order text', async () => {
    const names = ['b', 'B', 'a', null, 'A', 'c', 'éclair'];
    for (const [i, name] of names.entries()) {
      await insertRow(db(), 'items', { id: `i${i}`, tenant_id: T, name, qty: i });
    }
    await insertRow(db(), 'items', { id: 'x', tenant_id: 'other', name: 'zzz' });
    const asc = await selectRows<{ name: string | null }>(db(), 'items', {
      where: { tenant_id: T },
      orderBy: { column: 'name' },
    });
    expect(asc.map((r) => r.name)).toEqual([null, 'A', 'B', 'a', 'b', 'c', 'éclair']);
    const desc = await selectRows<{ name: string | null }>(db(), 'items', {
      where: { tenant_id: T },
      orderBy: { column: 'name', dir: 'desc' },
      limit: 3,
      offset: 1,
    });
    expect(desc.map((r) => r.name)).toEqual(['c', 'b', 'a']);

    const params = parseListParams(
      { page: '2', page_size: '2', sort_by: 'qty', sort_dir: 'desc' },
      { sortable: ['qty', 'name'], defaultSort: 'name' },
    );
    const page = await listRows<{ id: string }>(db(), 'items', {
      where: { tenant_id: T },
      params,
      columns: ['id'],
      tiebreaker: 'id',
    });
    expect(page).toEqual({ rows: [{ id: 'i4' }, { id: 'i3' }], total: 7 });
    const search = await selectRows<{ id: string }>(db(), 'items', {
      where: { tenant_id: T, name: { contains: 'B' } },
      columns: ['id'],
      orderBy: { column: 'id' },
    });
    expect(search.map((r) => r.id)).toEqual(['i0', 'i1']);
    expect(await countRows(db(), 'items', { tenant_id: T, id: ['i0', 'i6', 'x'] })).toBe(2);
    expect(await countRows(db(), 'items', { tenant_id: T, id: [] })).toBe(0);
  });

  it('rejects identifier injection and binds hostile values as plain data', async () => {
    await insertRow(db(), 'items', { id: 'a', tenant_id: T });
    await expect(selectRows(db(), 'items; DROP TABLE items', {})).rejects.toThrow(TypeError);
    await expect(
      selectRows(db(), 'items', { orderBy: { column: 'name; DROP TABLE items' } }),
    ).rejects.toThrow(TypeError);
    await expect(insertRow(db(), 'items', { 'id) VALUES (1); --': 'x' })).rejects.toThrow(TypeError);
    await expect(countRows(db(), 'items', { 'tenant_id = tenant_id OR 1': 1 })).rejects.toThrow(TypeError);
    const hostile = `x' OR '1'='1`;
    expect(await countRows(db(), 'items', { tenant_id: hostile })).toBe(0);
    await insertRow(db(), 'items', { id: hostile, tenant_id: T, name: "'); DROP TABLE items; --" });
    expect(await selectRow(db(), 'items', { id: hostile }, ['name'])).toEqual({
      name: "'); DROP TABLE items; --",
    });
    expect(await countRows(db(), 'items')).toBe(2);
  });

  it('applies each migration once, records it, and applies only new ones on re-run', async () => {
    await db().migrate('contract', contractMigrations);
    const recorded = await db().all('SELECT id FROM schema_migrations WHERE service = ? ORDER BY id', [
      'contract',
    ]);
    expect(recorded).toEqual([{ id: '0001_items' }, { id: '0002_counters' }]);
    let runs = 0;
    const more: Migration[] = [
      ...contractMigrations,
      {
        id: '0003_seed',
        up: async (tx) => {
          runs += 1;
          await insertRow(tx, 'counters', { name: 'seeded', value: 1 });
        },
      },
    ];
    await db().migrate('contract', more);
    await db().migrate('contract', more);
    expect(runs).toBe(1);
    expect(await countRows(db(), 'counters', { name: 'seeded' })).toBe(1);
  });

  it('rolls back a failing migration and does not record it', async () => {
    const broken: Migration[] = [
      { id: '0001_ok', up: 'CREATE TABLE mig_probe (id TEXT PRIMARY KEY)' },
      { id: '0002_broken', up: "CREATE TABLE mig_half (id TEXT); INSERT INTO no_such_table VALUES ('x')" },
    ];
    // Matched on the message, not with toThrow(): better-sqlite3's native addon keeps the SqliteError
    // class of the first jest test file that loaded it, so in later files it is not an `Error` of theirs.
    await expect(db().migrate('probe', broken)).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/no such table|does not exist/),
    );
    const ids = await db().all<{ id: string }>(
      'SELECT id FROM schema_migrations WHERE service = ? ORDER BY id',
      ['probe'],
    );
    expect(ids.map((r) => r.id)).toEqual(['0001_ok']);
    await expect(db().get('SELECT COUNT(*) AS n FROM mig_half')).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/no such table|does not exist/),
    );
    expect(await countRows(db(), 'mig_probe')).toBe(0);
  });
}
