import path from 'node:path';
import { tempDir } from '@aegis/testing';
import { sql } from 'kysely';
import { validateMigrations } from './migrate';
import { openStore, parseStoreUrl } from './open';

describe('parseStoreUrl', () => {
  it('recognises the SQLite and PostgreSQL forms', () => {
    expect(parseStoreUrl('sqlite:data/auth.db')).toEqual({ dialect: 'sqlite', filename: 'data/auth.db' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
    expect(parseStoreUrl('sqlite:///var/lib/aegis.db')).toEqual({
      dialect: 'sqlite',
      filename: '/var/lib/aegis.db',
    });
    expect(parseStoreUrl('postgres://u:p@db:5432/aegis').dialect).toBe('postgres');
    expect(parseStoreUrl('postgresql://db/aegis').dialect).toBe('postgres');
  });

  it('rejects other schemes without echoing credentials', () => {
    expect(() => parseStoreUrl('mysql://root:secret@db/x')).toThrow(/mysql:/);
    expect(() => parseStoreUrl('mysql://root:secret@db/x')).not.toThrow(/secret/);
    expect(() => parseStoreUrl('sqlite:')).toThrow(TypeError);
  });
});

describe('openStore: the SQLite page size', () => {
  const pageSize = async (store: Awaited<ReturnType<typeof openStore>>) =>
    Number((await sql<{ page_size: number }>`PRAGMA page_size`.execute(store.db)).rows[0].page_size);

  it('gives a file it creates the page size asked for; an existing file keeps its own', async () => {
    const url = `sqlite:${path.join(tempDir('page-size'), 'x.db')}`;
    const created = await openStore({ url, sqlitePageSize: 8192 });
    await created.transaction(async ({ db }) => {
      await sql`CREATE TABLE t (a TEXT)`.execute(db);
    });
    expect(await pageSize(created)).toBe(8192);
    await created.close();
    const reopened = await openStore({ url, sqlitePageSize: 16384 });
    expect(await pageSize(reopened)).toBe(8192);
    await reopened.close();
    const plain = await openStore({ url: `sqlite:${path.join(tempDir('page-size'), 'y.db')}` });
    await plain.transaction(async ({ db }) => {
      await sql`CREATE TABLE t (a TEXT)`.execute(db);
    });
    expect(await pageSize(plain)).toBe(4096);
    await plain.close();
  });
});

describe('validateMigrations', () => {
  it('accepts unique ascending ids', () => {
    expect(() =>
      validateMigrations('auth', [
        { id: '0001_users', up: 'x' },
        { id: '0002_keys', up: async () => undefined },
      ]),
    ).not.toThrow();
  });

  it('rejects duplicates, descending ids, empty ids and bad service names', () => {
    expect(() =>
      validateMigrations('auth', [
        { id: '0002', up: 'x' },
        { id: '0001', up: 'x' },
      ]),
    ).toThrow(/ascending/);
    expect(() =>
      validateMigrations('auth', [
        { id: '0001', up: 'x' },
        { id: '0001', up: 'x' },
      ]),
    ).toThrow(/ascending/);
    expect(() => validateMigrations('auth', [{ id: '', up: 'x' }])).toThrow(/non-empty/);
    expect(() => validateMigrations("auth'; --", [])).toThrow(/service/);
  });
});
