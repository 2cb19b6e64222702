import { validateMigrations } from './migrate';
import { parseStoreUrl } from './open';

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
