import type { Logger } from 'pino';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Dialect, Store } from './types';

export interface OpenStoreOptions {
  /** `sqlite:<path>`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`. */
  url: string;
  logger?: Logger;
  /** PostgreSQL pool size (default 10); ignored for SQLite, which has one connection. */
  poolSize?: number;
  /** SQLite: the page size of a database file this creates (SqliteStoreOptions.pageSize). */
  sqlitePageSize?: number;
}

export type StoreTarget = { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; url: string };

/** Parses a store URL without opening anything. `sqlite:///abs/path` and `sqlite://rel/path` work too. */
export function parseStoreUrl(url: string): StoreTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    let filename = url.slice('sqlite:'.length);
    if (filename.startsWith('//')) filename = filename.slice(2);
    if (filename.length === 0) throw new TypeError('Store URL sqlite: needs a path or :memory:');
    return { dialect: 'sqlite', filename };
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new TypeError(
    `Unsupported store URL scheme ${scheme}: use sqlite:<path>, sqlite::memory: or postgres://`,
  );
}

/** Opens the store named by `url`, typed with the service's `Database` interface. For PostgreSQL it
 * checks the connection before resolving. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function openStore<DB = any>(options: OpenStoreOptions): Promise<Store<DB>> {
  const target = parseStoreUrl(options.url);
  if (target.dialect === 'sqlite')
    return openSqliteStore<DB>({
      filename: target.filename,
      logger: options.logger,
      pageSize: options.sqlitePageSize,
    });
  const store = openPostgresStore<DB>({
    url: target.url,
    logger: options.logger,
    poolSize: options.poolSize,
  });
  try {
    await store.ping();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

export function storeDialect(url: string): Dialect {
  return parseStoreUrl(url).dialect;
}
