import fc from 'fast-check';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
} from 'kysely';
import { QueryGuardPlugin } from './guard-plugin';
import { containsText, likeContainsPattern, listPage, portableOrder } from './query';
import { assertIdentifier, isIdentifier } from './sql';

/** A Kysely that only compiles (no connection), in one dialect, with the store's guard plugin. */
function compileOnly<DB>(dialect: 'sqlite' | 'postgres'): Kysely<DB> {
  const pg = dialect === 'postgres';
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => (pg ? new PostgresIntrospector(k) : new SqliteIntrospector(k)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    plugins: [new QueryGuardPlugin()],
  });
}

const pg = compileOnly<Record<string, Record<string, unknown>>>('postgres');

describe('placeholders (Kysely compiles values, never scans SQL text)', () => {
  it('numbers bound values from left to right', () => {
    const q = pg.selectFrom('t').selectAll().where('a', '=', 1).where('b', 'in', [2, 3]).compile();
    expect(q.sql).toBe('select * from "t" where "a" = $1 and "b" in ($2, $3)');
    expect(q.parameters).toEqual([1, 2, 3]);
  });

  it('leaves ? and $n inside string literals, quoted identifiers and comments untouched', () => {
    const q = sql`SELECT '?', 'it''s ?', '$1', "we?ird" FROM t -- why?
WHERE a = ${'x'} /* ? */ AND b = ${'y'}`.compile(pg);
    expect(q.sql).toBe(`SELECT '?', 'it''s ?', '$1', "we?ird" FROM t -- why?
WHERE a = $1 /* ? */ AND b = $2`);
    expect(q.parameters).toEqual(['x', 'y']);
  });

  // A token generator: SQL text (which may hold ? and $ anywhere) or a value to bind.
  const text = fc.stringMatching(/^[a-zA-Z0-9 ,=()*<>.\n?'"$\-/]{0,12}$/).map((s) => ({ text: s }));
  const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null)).map((v) => ({ value: v }));
  const tokens = fc.array(fc.oneof(text, value), { maxLength: 25 });

  it('turns exactly the bound values into $1..$n in order and keeps all SQL text (property)', () => {
    fc.assert(
      fc.property(tokens, (list) => {
        const strings: string[] = [''];
        const values: unknown[] = [];
        for (const t of list) {
          if ('text' in t) strings[strings.length - 1] += t.text;
          else {
            values.push(t.value);
            strings.push('');
          }
        }
        const raw = Object.assign([...strings], { raw: [...strings] }) as unknown as TemplateStringsArray;
        const q = sql(raw, ...values).compile(pg);
        let k = 0;
        const expected = strings.map((s, i) => (i === 0 ? s : `$${(k += 1)}${s}`)).join('');
        expect(q.sql).toBe(expected);
        expect(q.parameters).toEqual(values);
      }),
    );
  });
});

describe('identifiers', () => {
  it('accepts lower-case snake_case names', () => {
    for (const name of ['users', 'tenant_id', '_private', 'a1_b2', 'order'])
      expect(isIdentifier(name)).toBe(true);
    expect(pg.selectFrom('order').select('user').compile().sql).toBe('select "user" from "order"');
  });

  it('rejects anything that could change the SQL', () => {
    for (const name of [
      '',
      'Users',
      '1abc',
      'a-b',
      'a b',
      'a"b',
      'a;drop table users',
      'x--',
      'é',
      'a.b',
      'x'.repeat(64),
    ]) {
      expect(isIdentifier(name)).toBe(false);
      expect(() => assertIdentifier(name)).toThrow(TypeError);
    }
    expect(() => assertIdentifier(undefined)).toThrow(TypeError);
  });

  it('never compiles a table, column or alias containing a quote, space, semicolon or dash (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('"', ' ', ';', '-', "'", '(', 'A'),
        fc.string(),
        (a, bad, b) => {
          const name = `${a}${bad}${b}`;
          expect(() => sql`SELECT * FROM ${sql.id(name)}`.compile(pg)).toThrow(TypeError);
          expect(() => sql`SELECT ${sql.id(name)} FROM t`.compile(pg)).toThrow(TypeError);
          expect(() =>
            pg
              .selectFrom('t')
              .select(sql`1`.as(name))
              .compile(),
          ).toThrow(TypeError);
        },
      ),
    );
  });

  it('accepts a sort column exactly when it is a safe identifier (property)', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const compile = () => pg.selectFrom('t').selectAll().orderBy(sql.id(name), 'asc').compile().sql;
        if (/^[a-z_][a-z0-9_]*$/.test(name) && name.length <= 63) {
          expect(compile()).toBe(`select * from "t" order by "${name}" asc`);
        } else {
          expect(compile).toThrow(TypeError);
        }
      }),
    );
  });
});

interface Db {
  users: { id: string; tenant_id: string; email: string; name: string | null; active: number };
  keys: { tenant_id: string; kid: string; pem: string };
}

const db = compileOnly<Db>('sqlite');

describe('typed inserts and upserts', () => {
  it('quote columns, bind values and leave out undefined ones', () => {
    const q = db
      .insertInto('users')
      .values({ id: 'u1', tenant_id: 't', email: 'a@b', name: undefined, active: 1 })
      .compile();
    expect(q.sql).toBe('insert into "users" ("id", "tenant_id", "email", "active") values (?, ?, ?, ?)');
    expect(q.parameters).toEqual(['u1', 't', 'a@b', 1]);
  });

  it('update the named columns from excluded on conflict, or do nothing', () => {
    const upsert = db
      .insertInto('keys')
      .values({ tenant_id: 't', kid: 'k', pem: 'x' })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'kid']).doUpdateSet((eb) => ({ pem: eb.ref('excluded.pem') })),
      );
    expect(upsert.compile().sql).toBe(
      'insert into "keys" ("tenant_id", "kid", "pem") values (?, ?, ?) on conflict ("tenant_id", "kid") do update set "pem" = "excluded"."pem"',
    );
    const nothing = db
      .insertInto('keys')
      .values({ tenant_id: 't', kid: 'k', pem: 'x' })
      .onConflict((oc) => oc.column('kid').doNothing());
    expect(nothing.compile().sql).toMatch(/on conflict \("kid"\) do nothing$/);
  });
});

describe('QueryGuardPlugin', () => {
  it('binds set values before where values', () => {
    const q = db
      .updateTable('users')
      .set({ name: 'n', email: undefined })
      .where('tenant_id', '=', 't')
      .where('id', '=', 'u')
      .compile();
    expect(q.sql).toBe('update "users" set "name" = ? where "tenant_id" = ? and "id" = ?');
    expect(q.parameters).toEqual(['n', 't', 'u']);
  });

  it('refuses whole-table writes', () => {
    expect(() => db.updateTable('users').set({ name: 'n' }).compile()).toThrow(/non-empty where/);
    expect(() => db.deleteFrom('users').compile()).toThrow(/non-empty where/);
    expect(() => sql`DELETE FROM users`.compile(db)).not.toThrow();
  });

  it('refuses unsafe names, bad operators, bad limits and an offset without a limit', () => {
    expect(() =>
      db
        .selectFrom('users; DROP TABLE users' as 'users')
        .selectAll()
        .compile(),
    ).toThrow(TypeError);
    expect(() =>
      db
        .insertInto('users')
        .values({ 'id") VALUES (1); --': 1 } as never)
        .compile(),
    ).toThrow(TypeError);
    expect(() =>
      db
        .selectFrom('users')
        .selectAll()
        .where('id', 'OR 1=1' as '=', '1')
        .compile(),
    ).toThrow();
    expect(() => db.selectFrom('users').selectAll().limit(-1).compile()).toThrow(TypeError);
    expect(() => db.selectFrom('users').selectAll().limit(1.5).compile()).toThrow(TypeError);
    expect(() => db.selectFrom('users').selectAll().limit(1).offset(-2).compile()).toThrow(TypeError);
    expect(() => db.selectFrom('users').selectAll().offset(5).compile()).toThrow(/needs a limit/);
  });

  it('turns an empty IN list into a condition that matches nothing (NOT IN: everything)', () => {
    const none = db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', 't')
      .where('id', 'in', [])
      .compile();
    expect(none.sql).toBe('select * from "users" where "tenant_id" = ? and 1 = 0');
    expect(none.parameters).toEqual(['t']);
    const all = db.selectFrom('users').selectAll().where('id', 'not in', []).compile();
    expect(all.sql).toBe('select * from "users" where 1 = 1');
  });
});

describe('query pieces', () => {
  it('matches a literal substring in any case, with %, _ and \\ escaped', () => {
    expect(likeContainsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
    const q = db.selectFrom('users').select('id').where(containsText('email', 'A%')).compile();
    expect(q.sql).toBe(`select "id" from "users" where LOWER("email") LIKE ? ESCAPE '\\'`);
    expect(q.parameters).toEqual(['%a\\%%']);
  });

  it('sorts NULLs first ascending and last descending, and refuses other directions', () => {
    const q = db
      .selectFrom('users')
      .select('id')
      .orderBy('name', portableOrder('desc'))
      .orderBy('id', portableOrder('asc'))
      .compile();
    expect(q.sql).toBe('select "id" from "users" order by "name" desc nulls last, "id" asc nulls first');
    expect(() => portableOrder('desc; DROP' as 'desc')).toThrow(TypeError);
  });

  it('pages with a tiebreaker and counts with the same where', async () => {
    const seen: { sql: string; parameters: readonly unknown[] }[] = [];
    const recording = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => args.result,
    });
    const query = recording.selectFrom('users').select(['id', 'email']).where('tenant_id', '=', 't');
    const spy = jest.spyOn(DummyDriver.prototype, 'acquireConnection').mockImplementation(
      async () =>
        ({
          executeQuery: async (compiled: CompiledQuery) => {
            seen.push({ sql: compiled.sql, parameters: compiled.parameters });
            return { rows: compiled.sql.includes('COUNT') ? [{ n: 3 }] : [{ id: 'a', email: 'e' }] };
          },
          streamQuery: () => {
            throw new Error('unused');
          },
        }) as unknown as DatabaseConnection,
    );
    try {
      const page = await listPage(
        query,
        { limit: 2, offset: 4, sortBy: 'email', sortDir: 'desc' },
        {
          tiebreaker: 'id',
          nulls: 'portable',
        },
      );
      expect(page).toEqual({ rows: [{ id: 'a', email: 'e' }], total: 3 });
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual([
      {
        sql: 'select "id", "email" from "users" where "tenant_id" = ? order by "email" desc nulls last, "id" desc nulls last limit ? offset ?',
        parameters: ['t', 2, 4],
      },
      { sql: 'select COUNT(*) as "n" from "users" where "tenant_id" = ?', parameters: ['t'] },
    ]);
  });
});
