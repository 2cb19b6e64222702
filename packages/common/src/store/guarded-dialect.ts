import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import type { Logger } from 'pino';
import { AsyncMutex } from './mutex';
import type { TxGuard } from './tx-guard';

export interface GuardOptions {
  guard: TxGuard;
  logger?: Logger;
  /** Replaces the driver's BEGIN (SQLite: `begin immediate`, so a writer never fails half-way on a lock). */
  beginSql?: string;
  /** False when the database already rolled the transaction back itself (SQLite after SQLITE_FULL). */
  inTransaction?: () => boolean;
  /** One connection (SQLite): callers get it strictly one at a time in arrival order (FIFO), and close
   * waits for the one in use. */
  serialise?: boolean;
}

/**
 * Wraps one of Kysely's drivers (SqliteDriver, PostgresDriver) with the guarantees the store gives on
 * both dialects: the store refuses use after close; using the store itself (not `tx`) inside one of its
 * transactions is an error instead of a deadlock (SQLite) or a statement outside it (PostgreSQL); a
 * failing ROLLBACK is logged and the original error kept.
 */
export class GuardedDriver implements Driver {
  private closed = false;
  private readonly mutex = new AsyncMutex();
  /** Releases the FIFO lock of the one connection in use (serialise only). */
  private releaseHeld: (() => void) | undefined;

  constructor(
    private readonly inner: Driver,
    private readonly options: GuardOptions,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.assertOpen();
    this.options.guard.assertOutside('A query');
    const release = this.options.serialise ? await this.mutex.acquire() : undefined;
    let connection: DatabaseConnection;
    try {
      this.assertOpen();
      connection = await this.inner.acquireConnection();
    } catch (err) {
      release?.();
      throw err;
    }
    this.releaseHeld = release;
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (this.options.beginSql) await connection.executeQuery(CompiledQuery.raw(this.options.beginSql));
    else await this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.options.inTransaction && !this.options.inTransaction()) return;
    try {
      // PostgresDriver marks the connection for discard when this fails: it is not reused.
      await this.inner.rollbackTransaction(connection);
    } catch (err) {
      this.options.logger?.error({ err }, 'Failed to roll back transaction');
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.releaseHeld;
    this.releaseHeld = undefined;
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      release?.();
    }
  }

  async destroy(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.options.serialise) await this.mutex.run(() => this.inner.destroy());
    else await this.inner.destroy();
  }

  isClosed(): boolean {
    return this.closed;
  }

  assertOpen(): void {
    if (this.closed) throw new Error('Store is closed');
  }
}

/** A Kysely dialect (SqliteDialect, PostgresDialect) whose driver is wrapped in a GuardedDriver. */
export class GuardedDialect implements Dialect {
  readonly driver: GuardedDriver;

  constructor(
    private readonly inner: Dialect,
    options: GuardOptions,
  ) {
    this.driver = new GuardedDriver(inner.createDriver(), options);
  }

  createDriver(): Driver {
    return this.driver;
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}
