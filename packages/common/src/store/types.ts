import type { Kysely } from 'kysely';

/** The store layer: one API over SQLite (better-sqlite3@12, embedded default) and PostgreSQL (pg), with
 * typed queries written once in Kysely (ADR 0014). Each service declares its tables' row types once in a
 * `Database` interface and works with `Store<Database>` / `Queryable<Database>`. */

export type Dialect = 'sqlite' | 'postgres';

/** A value both drivers bind the same way (booleans as 1/0, Dates as ISO-8601 UTC text; see ADR 0002). */
export type SqlValue = string | number | bigint | boolean | null | Buffer | Date;

/**
 * What a store function takes: the store itself or the `tx` handle of one of its transactions. `db` is
 * the typed Kysely handle; `dialect` is there for the few queries that differ (JSON, recursion limits).
 * `DB` defaults to `any` so code that only passes a store along (`deps.store`) needs no type argument.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Queryable<DB = any> {
  readonly dialect: Dialect;
  readonly db: Kysely<DB>;
}

export interface Migration {
  /** Stable, ordered id such as `0001_users`. Applied once, recorded per service in schema_migrations. */
  id: string;
  /** A SQL script (several statements allowed), or a function given the migration's transaction. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up: string | ((tx: Queryable<any>) => Promise<void>);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Store<DB = any> extends Queryable<DB> {
  /** Runs `fn` in one transaction: commit on success, roll back on any throw. Use only `tx` inside. */
  transaction<T>(fn: (tx: Queryable<DB>) => Promise<T>): Promise<T>;
  /** Applies the not-yet-applied migrations of `service` in order, each in its own transaction. */
  migrate(service: string, migrations: readonly Migration[]): Promise<void>;
  /** Throws when the store is not reachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
