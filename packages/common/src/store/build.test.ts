import fc from 'fast-check';
import {
  buildCount,
  buildDelete,
  buildInsert,
  buildSelect,
  buildUpdate,
  buildUpsert,
  orderClause,
} from './build';

describe('buildInsert', () => {
  it('quotes columns, binds values and leaves out undefined ones', () => {
    expect(buildInsert('users', { id: 'u1', email: 'a@b', name: undefined, active: true })).toEqual({
      sql: 'INSERT INTO "users" ("id", "email", "active") VALUES (?, ?, ?)',
      params: ['u1', 'a@b', true],
    });
  });

  it('rejects an empty row and unsafe names', () => {
    expect(() => buildInsert('users', {})).toThrow(TypeError);
    expect(() => buildInsert('users; DROP TABLE users', { id: 1 })).toThrow(TypeError);
    expect(() => buildInsert('users', { 'id") VALUES (1); --': 1 })).toThrow(TypeError);
  });
});

describe('buildUpsert', () => {
  it('updates the named columns from excluded on conflict', () => {
    expect(
      buildUpsert('keys', { tenant_id: 't', kid: 'k', pem: 'x' }, ['tenant_id', 'kid'], ['pem']).sql,
    ).toBe(
      'INSERT INTO "keys" ("tenant_id", "kid", "pem") VALUES (?, ?, ?) ON CONFLICT ("tenant_id", "kid") DO UPDATE SET "pem" = excluded."pem"',
    );
  });

  it('does nothing on conflict without update columns, and refuses columns not in the row', () => {
    expect(buildUpsert('keys', { kid: 'k' }, ['kid'], []).sql).toMatch(/ON CONFLICT \("kid"\) DO NOTHING$/);
    expect(() => buildUpsert('keys', { kid: 'k' }, ['kid'], ['pem'])).toThrow(/not in the row/);
    expect(() => buildUpsert('keys', { kid: 'k' }, [], [])).toThrow(TypeError);
  });
});

describe('buildUpdate and buildDelete', () => {
  it('binds set values before where values', () => {
    expect(buildUpdate('users', { name: 'n', email: undefined }, { tenant_id: 't', id: 'u' })).toEqual({
      sql: 'UPDATE "users" SET "name" = ? WHERE "tenant_id" = ? AND "id" = ?',
      params: ['n', 't', 'u'],
    });
  });

  it('refuses whole-table writes and empty updates', () => {
    expect(() => buildUpdate('users', { name: 'n' }, {})).toThrow(/non-empty where/);
    expect(() => buildDelete('users', {})).toThrow(/non-empty where/);
    expect(() => buildUpdate('users', { name: undefined }, { id: 'u' })).toThrow(/at least one column/);
  });
});

describe('buildSelect', () => {
  it('supports null, lists, comparisons and contains', () => {
    const { sql, params } = buildSelect('events', {
      columns: ['id', 'at'],
      where: {
        tenant_id: 't',
        deleted_at: null,
        kind: ['a', 'b'],
        at: { op: '>=', value: '2024-01-01' },
        title: { contains: '50%_off\\' },
      },
      orderBy: [{ column: 'at', dir: 'desc' }, { column: 'id' }],
      limit: 10,
      offset: 20,
    });
    expect(sql).toBe(
      'SELECT "id", "at" FROM "events" WHERE "tenant_id" = ? AND "deleted_at" IS NULL AND "kind" IN (?, ?) AND "at" >= ? ' +
        `AND LOWER("title") LIKE ? ESCAPE '\\' ORDER BY "at" DESC NULLS LAST, "id" ASC NULLS FIRST LIMIT ? OFFSET ?`,
    );
    expect(params).toEqual(['t', 'a', 'b', '2024-01-01', '%50\\%\\_off\\\\%', 10, 20]);
  });

  it('matches nothing for an empty list', () => {
    expect(buildSelect('t', { where: { id: [] } }).sql).toBe('SELECT * FROM "t" WHERE 1 = 0');
  });

  it('refuses undefined conditions, bad operators, bad limits and offset without limit', () => {
    expect(() => buildSelect('t', { where: { tenant_id: undefined as unknown as string } })).toThrow(
      /undefined/,
    );
    expect(() => buildSelect('t', { where: { a: { op: 'OR 1=1' as '=', value: 1 } } })).toThrow(TypeError);
    expect(() => buildSelect('t', { where: { a: { op: '<', value: null } } })).toThrow(TypeError);
    expect(() => buildSelect('t', { limit: -1 })).toThrow(TypeError);
    expect(() => buildSelect('t', { limit: 1.5 })).toThrow(TypeError);
    expect(() => buildSelect('t', { offset: 5 })).toThrow(/needs a limit/);
  });

  it('rejects any sort column or direction outside the rules (property)', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        if (/^[a-z_][a-z0-9_]*$/.test(name) && name.length <= 63) {
          expect(orderClause({ column: name })).toBe(` ORDER BY "${name}" ASC NULLS FIRST`);
        } else {
          expect(() => orderClause({ column: name })).toThrow(TypeError);
        }
      }),
    );
    expect(() => orderClause({ column: 'a', dir: 'desc; DROP' as 'desc' })).toThrow(TypeError);
  });
});

describe('buildCount', () => {
  it('counts with the same where as a select', () => {
    expect(buildCount('users', { tenant_id: 't' })).toEqual({
      sql: 'SELECT COUNT(*) AS n FROM "users" WHERE "tenant_id" = ?',
      params: ['t'],
    });
  });
});
