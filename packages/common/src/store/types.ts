/** The store layer: one API over SQLite (better-sqlite3@12, embedded default) and PostgreSQL (pg).
 * SQL is written once with `?` placeholders; the PostgreSQL driver rewrites them to `$n`. */

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null | Buffer | Date;

export interface RunResult {
  changes: number;
}

export interface Queryable {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
}

export interface Migration {
  /** Stable, ordered id such as `0001_users`. Applied once, recorded per service. */
  id: string;
  up: string | ((db: Queryable) => Promise<void>);
}

export interface Store extends Queryable {
  /** Runs `fn` in one transaction: commit on success, roll back on any throw. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Applies the not-yet-applied migrations of `service` in order, each in its own transaction. */
  migrate(service: string, migrations: readonly Migration[]): Promise<void>;
  /** Throws when the store is not reachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
