import {
  containsText,
  isForeignKeyViolation,
  isUniqueViolation,
  listPage,
  parseListParams,
  portableOrder,
  sql,
  type ColumnType,
  type Migration,
  type Store,
} from '@aegis/common';

/** The contract schema as the store returns it; writes also take booleans and Dates (bound 1/0, ISO). */
export interface ContractDatabase {
  items: {
    id: string;
    tenant_id: string;
    name: string | null;
    qty: number | null;
    big: number | bigint | null;
    price: number | null;
    active: ColumnType<number, number | boolean | undefined, number | boolean>;
    created_at: ColumnType<string | null, string | Date | null | undefined, string | Date | null>;
    payload: Buffer | null;
  };
  tags: { item_id: string; tag: string };
  counters: { name: string; value: number };
  schema_migrations: { service: string; id: string; applied_at: string };
}

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
    up: async (tx) => {
      await tx.db.schema
        .createTable('counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull())
        .execute();
    },
  },
];

/** The DDL the store before Kysely ran for its migration records (IF NOT EXISTS as it did). */
export const LEGACY_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  service TEXT NOT NULL,
  id TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (service, id)
)`;

/** 0001 was applied by the earlier store; running it again would fail (the table exists). */
export const LEGACY_MIGRATIONS: Migration[] = [
  { id: '0001_a', up: 'CREATE TABLE legacy_a (id TEXT)' },
  { id: '0002_b', up: 'CREATE TABLE legacy_b (id TEXT)' },
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

type Db = Store<ContractDatabase>;

const countItems = async (q: Pick<Db, 'db'>, tenant?: string) => {
  let query = q.db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n'));
  if (tenant !== undefined) query = query.where('tenant_id', '=', tenant);
  return Number((await query.executeTakeFirstOrThrow()).n);
};

/** Defines the behaviour both stores share. `getStore` is called inside tests, after beforeAll. */
export function storeContract(getStore: () => Db): void {
  const store = () => getStore();
  const db = () => getStore().db;
  const recordedIds = (service: string) =>
    db().selectFrom('schema_migrations').select('id').where('service', '=', service).orderBy('id').execute();

  beforeAll(async () => {
    await store().migrate('contract', contractMigrations);
  });

  beforeEach(async () => {
    await sql`DELETE FROM tags`.execute(db());
    await sql`DELETE FROM items`.execute(db());
    await sql`DELETE FROM counters`.execute(db());
  });

  it('answers ping', async () => {
    await expect(store().ping()).resolves.toBeUndefined();
  });

  it('creates, reads, updates and deletes rows through the typed builder', async () => {
    await db().insertInto('items').values({ id: 'a', tenant_id: T, name: 'apple', qty: 3 }).execute();
    await db().insertInto('items').values({ id: 'b', tenant_id: 'other', name: 'apple', qty: 9 }).execute();
    expect(
      await db()
        .selectFrom('items')
        .select(['id', 'name', 'qty'])
        .where('tenant_id', '=', T)
        .where('id', '=', 'a')
        .executeTakeFirst(),
    ).toEqual({ id: 'a', name: 'apple', qty: 3 });
    const updated = await db()
      .updateTable('items')
      .set({ qty: 4, name: undefined })
      .where('tenant_id', '=', T)
      .where('id', '=', 'a')
      .executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    const missing = await db()
      .updateTable('items')
      .set({ qty: 5 })
      .where('tenant_id', '=', T)
      .where('id', '=', 'missing')
      .executeTakeFirst();
    expect(missing.numUpdatedRows).toBe(0n);
    const a = await db().selectFrom('items').selectAll().where('id', '=', 'a').executeTakeFirst();
    expect(a).toMatchObject({ qty: 4, name: 'apple' });
    const deleted = await db()
      .deleteFrom('items')
      .where('tenant_id', '=', T)
      .where('name', '=', 'apple')
      .executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
    expect(
      await db().selectFrom('items').selectAll().where('id', '=', 'a').executeTakeFirst(),
    ).toBeUndefined();
    expect(await countItems(store())).toBe(1);
  });

  it('round-trips every portable type to identical JS values', async () => {
    await db()
      .insertInto('items')
      .values({ ...roundTripRow, active: true, created_at: at })
      .execute();
    await db()
      .insertInto('items')
      .values({ id: 'r2', tenant_id: T, qty: 2, active: false, name: null })
      .execute();
    const rows = await db()
      .selectFrom('items')
      .selectAll()
      .where('tenant_id', '=', T)
      .orderBy('id')
      .execute();
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
    await db()
      .insertInto('items')
      .values([
        { id: 'a', tenant_id: T, qty: 2, big: 10 },
        { id: 'b', tenant_id: T, qty: 5, big: 20 },
      ])
      .execute();
    const { rows } = await sql`SELECT COUNT(*) AS n, SUM(qty) AS total, MAX(big) AS top, COUNT(*) > 1 AS many,
        '?' AS q, '$1' AS d FROM items WHERE tenant_id = ${T} AND name IS NULL`.execute(db());
    expect(rows[0]).toEqual({ n: 2, total: 7, top: 20, many: 1, q: '?', d: '$1' });
    const more = await db()
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', T)
      .where('qty', '>', 2)
      .executeTakeFirstOrThrow();
    expect(more.n).toBe(1);
    expect(await countItems(store(), 'nobody')).toBe(0);
  });

  it('commits a transaction and returns its result', async () => {
    const result = await store().transaction(async (tx) => {
      await tx.db.insertInto('items').values({ id: 'a', tenant_id: T }).execute();
      await tx.db.insertInto('tags').values({ item_id: 'a', tag: 'red' }).execute();
      const row = await tx.db
        .selectFrom('tags')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return row.n;
    });
    expect(result).toBe(1);
    expect(await countItems(store())).toBe(1);
  });

  it('rolls everything back when the transaction callback throws', async () => {
    const failure = store().transaction(async (tx) => {
      await tx.db.insertInto('items').values({ id: 'a', tenant_id: T }).execute();
      await tx.db.insertInto('tags').values({ item_id: 'a', tag: 'red' }).execute();
      throw new Error('changed my mind');
    });
    await expect(failure).rejects.toThrow('changed my mind');
    expect(await countItems(store())).toBe(0);
    expect(await db().selectFrom('tags').selectAll().execute()).toEqual([]);
  });

  it('rolls back when a statement inside fails and reports constraint violations portably', async () => {
    await db().insertInto('items').values({ id: 'a', tenant_id: T }).execute();
    const duplicate = store().transaction(async (tx) => {
      await tx.db.insertInto('items').values({ id: 'b', tenant_id: T }).execute();
      await tx.db.insertInto('items').values({ id: 'a', tenant_id: T }).execute();
    });
    const err = await duplicate.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(err)).toBe(true);
    expect(await countItems(store())).toBe(1);
    const orphan = await db()
      .insertInto('tags')
      .values({ item_id: 'nope', tag: 'x' })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isForeignKeyViolation(orphan)).toBe(true);
    expect(isUniqueViolation(orphan)).toBe(false);
  });

  it('refuses a finished tx handle and the store itself inside its own transaction', async () => {
    let leaked: Parameters<Parameters<Db['transaction']>[0]>[0] | undefined;
    const one = (q: Pick<Db, 'db'>) => sql<{ one: number }>`SELECT 1 AS one`.execute(q.db);
    await store().transaction(async (tx) => {
      leaked = tx;
      await expect(one(store())).rejects.toThrow(/inside its own open transaction/);
      await expect(store().transaction(async () => 1)).rejects.toThrow(
        /nested transactions are not supported/,
      );
    });
    await expect(one(leaked!)).rejects.toThrow(/already committed/);
    expect((await one(store())).rows).toEqual([{ one: 1 }]);
  });

  it('upserts: inserts, updates the chosen columns on conflict, or does nothing', async () => {
    const upsert = (value: number, update: boolean) =>
      db()
        .insertInto('counters')
        .values({ name: 'hits', value })
        .onConflict((oc) =>
          update
            ? oc.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))
            : oc.doNothing(),
        )
        .executeTakeFirst();
    const hits = () => db().selectFrom('counters').selectAll().where('name', '=', 'hits').executeTakeFirst();
    expect((await upsert(1, true)).numInsertedOrUpdatedRows).toBe(1n);
    expect((await upsert(7, true)).numInsertedOrUpdatedRows).toBe(1n);
    expect(await hits()).toEqual({ name: 'hits', value: 7 });
    expect((await upsert(9, false)).numInsertedOrUpdatedRows).toBe(0n);
    expect(await hits()).toEqual({ name: 'hits', value: 7 });
  });

  it('orders, pages and counts identically, with NULLs first ascending and byte-order text', async () => {
    const names = ['b', 'B', 'a', null, 'A', 'c', 'éclair'];
    for (const [i, name] of names.entries()) {
      await db()
        .insertInto('items')
        .values({ id: `i${i}`, tenant_id: T, name, qty: i })
        .execute();
    }
    await db().insertInto('items').values({ id: 'x', tenant_id: 'other', name: 'zzz' }).execute();
    const mine = () => db().selectFrom('items').where('tenant_id', '=', T);
    const asc = await mine().select('name').orderBy('name', portableOrder('asc')).execute();
    expect(asc.map((r) => r.name)).toEqual([null, 'A', 'B', 'a', 'b', 'c', 'éclair']);
    const desc = await mine()
      .select('name')
      .orderBy('name', portableOrder('desc'))
      .limit(3)
      .offset(1)
      .execute();
    expect(desc.map((r) => r.name)).toEqual(['c', 'b', 'a']);

    const params = parseListParams(
      { page: '2', page_size: '2', sort_by: 'qty', sort_dir: 'desc' },
      { sortable: ['qty', 'name'], defaultSort: 'name' },
    );
    const page = await listPage(mine().select('id'), params, { tiebreaker: 'id', nulls: 'portable' });
    expect(page).toEqual({ rows: [{ id: 'i4' }, { id: 'i3' }], total: 7 });
    const search = await mine().select('id').where(containsText('name', 'B')).orderBy('id').execute();
    expect(search.map((r) => r.id)).toEqual(['i0', 'i1']);
    const literal = await mine().select('id').where(containsText('name', '%')).execute();
    expect(literal).toEqual([]);
    const listed = await mine()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'in', ['i0', 'i6', 'x'])
      .executeTakeFirstOrThrow();
    expect(listed.n).toBe(2);
    expect(await mine().select('id').where('id', 'in', []).execute()).toEqual([]);
    expect(await mine().select('id').where('id', 'not in', []).execute()).toHaveLength(7);
  });

  it('rejects identifier injection and binds hostile values as plain data', async () => {
    await db().insertInto('items').values({ id: 'a', tenant_id: T }).execute();
    await expect(
      db()
        .selectFrom('items; DROP TABLE items' as 'items')
        .selectAll()
        .execute(),
    ).rejects.toThrow(TypeError);
    await expect(
      db().selectFrom('items').selectAll().orderBy(sql.ref('name; DROP TABLE items')).execute(),
    ).rejects.toThrow(TypeError);
    await expect(
      db()
        .insertInto('items')
        .values({ 'id) VALUES (1); --': 'x' } as never)
        .execute(),
    ).rejects.toThrow(TypeError);
    await expect(
      db()
        .selectFrom('items')
        .selectAll()
        .where('tenant_id = tenant_id OR 1' as 'tenant_id', '=', '1')
        .execute(),
    ).rejects.toThrow(TypeError);
    await expect(db().deleteFrom('items').execute()).rejects.toThrow(/no whole-table writes/);
    const hostile = `x' OR '1'='1`;
    expect(await countItems(store(), hostile)).toBe(0);
    await db()
      .insertInto('items')
      .values({ id: hostile, tenant_id: T, name: "'); DROP TABLE items; --" })
      .execute();
    expect(
      await db().selectFrom('items').select('name').where('id', '=', hostile).executeTakeFirst(),
    ).toEqual({
      name: "'); DROP TABLE items; --",
    });
    expect(await countItems(store())).toBe(2);
  });

  it('applies each migration once, records it, and applies only new ones on re-run', async () => {
    await store().migrate('contract', contractMigrations);
    const recorded = await recordedIds('contract');
    expect(recorded).toEqual([{ id: '0001_items' }, { id: '0002_counters' }]);
    let runs = 0;
    const more: Migration[] = [
      ...contractMigrations,
      {
        id: '0003_seed',
        up: async (tx) => {
          runs += 1;
          await tx.db.insertInto('counters').values({ name: 'seeded', value: 1 }).execute();
        },
      },
    ];
    await store().migrate('contract', more);
    await store().migrate('contract', more);
    expect(runs).toBe(1);
    expect(await db().selectFrom('counters').selectAll().where('name', '=', 'seeded').execute()).toHaveLength(
      1,
    );
  });

  it('keeps migrating a database whose history the store before Kysely recorded', async () => {
    await sql.raw(LEGACY_MIGRATIONS_TABLE).execute(db());
    await sql`CREATE TABLE legacy_a (id TEXT)`.execute(db());
    await sql`INSERT INTO schema_migrations (service, id, applied_at)
      VALUES ('legacy', '0001_a', '2024-01-01T00:00:00.000Z')`.execute(db());
    await store().migrate('legacy', LEGACY_MIGRATIONS);
    const ids = await recordedIds('legacy');
    expect(ids.map((r) => r.id)).toEqual(['0001_a', '0002_b']);
    expect((await sql`SELECT COUNT(*) AS n FROM legacy_b`.execute(db())).rows).toEqual([{ n: 0 }]);
  });

  it('rolls back a failing migration and does not record it', async () => {
    const broken: Migration[] = [
      { id: '0001_ok', up: 'CREATE TABLE mig_probe (id TEXT PRIMARY KEY)' },
      { id: '0002_broken', up: "CREATE TABLE mig_half (id TEXT); INSERT INTO no_such_table VALUES ('x')" },
    ];
    // Matched on the message, not with toThrow(): better-sqlite3's native addon keeps the SqliteError
    // class of the first jest test file that loaded it, so in later files it is not an `Error` of theirs.
    await expect(store().migrate('probe', broken)).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/no such table|does not exist/),
    );
    const ids = await recordedIds('probe');
    expect(ids.map((r) => r.id)).toEqual(['0001_ok']);
    await expect(sql`SELECT COUNT(*) AS n FROM mig_half`.execute(db())).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/no such table|does not exist/),
    );
    const probe = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM mig_probe`.execute(db());
    expect(probe.rows).toEqual([{ n: 0 }]);
  });
}
