import fc from 'fast-check';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { QueryGuardPlugin } from './guard-plugin';
import { assertIdentifier, isIdentifier } from './sql';

/** A PostgreSQL-dialect Kysely that only compiles (no connection), with the store's guard plugin. */
const pg = new Kysely<Record<string, Record<string, unknown>>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
  plugins: [new QueryGuardPlugin()],
});

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
