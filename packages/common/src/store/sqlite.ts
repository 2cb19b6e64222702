import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { applyMigrations, type ScriptQueryable } from './migrate';
import { AsyncMutex } from './mutex';
import { assertActive, TxGuard, type TxState } from './tx-guard';
import type { Migration, RunResult, SqlValue, Store } from './types';
import { normaliseSqliteRow, toSqliteParams } from './values';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. Parent directories are created. */
  filename: string;
  logger?: Logger;
  /** How long a writer waits for another process's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
}

const STATEMENT_CACHE_SIZE = 200;

/**
 * SQLite through better-sqlite3 (synchronous, one connection). Every statement and every transaction
 * goes through one FIFO async mutex, so an async transaction callback never sees another caller's
 * statements inside it, and statements outside a transaction wait until it has finished.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new AsyncMutex();
  private readonly guard = new TxGuard();
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly logger?: Logger,
  ) {}

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.direct('all', () => this.execAll<T>(sql, params));
  }

  async get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.direct('run', () => this.execRun(sql, params));
  }

  transaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T> {
    return this.scriptTransaction(fn);
  }

  async scriptTransaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T> {
    this.assertOpen();
    this.guard.assertOutside('transaction()');
    const release = await this.mutex.acquire();
    try {
      this.assertOpen();
      this.db.exec('BEGIN IMMEDIATE');
      const state: TxState = { active: true };
      let result: T;
      try {
        result = await this.guard.run(state, () => fn(this.handle(state)));
        state.active = false;
        this.db.exec('COMMIT');
      } catch (err) {
        state.active = false;
        this.rollbackQuietly();
        throw err;
      }
      return result;
    } finally {
      release();
    }
  }

  async migrate(service: string, migrations: readonly Migration[]): Promise<void> {
    await applyMigrations(this, service, migrations, this.logger);
  }

  async ping(): Promise<void> {
    // A read on the one connection; safe even while a transaction is open, so readiness never waits.
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.mutex.run(() => {
      if (this.closed) return;
      this.closed = true;
      this.statements.clear();
      this.db.close();
    });
  }

  private handle(state: TxState): ScriptQueryable {
    return {
      dialect: this.dialect,
      all: async <T>(sql: string, params?: readonly SqlValue[]) => {
        assertActive(state);
        return this.execAll<T>(sql, params);
      },
      get: async <T>(sql: string, params?: readonly SqlValue[]) => {
        assertActive(state);
        return this.execAll<T>(sql, params)[0];
      },
      run: async (sql: string, params?: readonly SqlValue[]) => {
        assertActive(state);
        return this.execRun(sql, params);
      },
      exec: async (sql: string) => {
        assertActive(state);
        this.db.exec(sql);
      },
    };
  }

  private async direct<T>(what: string, op: () => T): Promise<T> {
    this.assertOpen();
    this.guard.assertOutside(`${what}()`);
    return this.mutex.run(() => {
      this.assertOpen();
      return op();
    });
  }

  private execAll<T>(sql: string, params: readonly SqlValue[] | undefined): T[] {
    const stmt = this.prepare(sql);
    const bound = toSqliteParams(params);
    if (!stmt.reader) {
      stmt.run(...bound);
      return [];
    }
    return stmt.all(...bound).map((row) => normaliseSqliteRow<T>(row));
  }

  private execRun(sql: string, params: readonly SqlValue[] | undefined): RunResult {
    const stmt = this.prepare(sql);
    const bound = toSqliteParams(params);
    // Like pg's rowCount: a statement that returns rows (SELECT, ... RETURNING) counts its rows.
    if (stmt.reader) return { changes: stmt.all(...bound).length };
    return { changes: Number(stmt.run(...bound).changes) };
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      this.statements.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (stmt.reader) stmt.safeIntegers(true);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  private rollbackQuietly(): void {
    if (!this.db.inTransaction) return; // SQLite already rolled back (e.g. after SQLITE_FULL)
    try {
      this.db.exec('ROLLBACK');
    } catch (err) {
      this.logger?.error({ err }, 'Failed to roll back SQLite transaction');
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('Store is closed');
  }
}

/** Opens a SQLite database: parent dirs created, WAL (files only), foreign keys on, busy timeout. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const memory = options.filename === ':memory:';
  if (!memory) fs.mkdirSync(path.dirname(path.resolve(options.filename)), { recursive: true });
  const db = new Database(options.filename);
  try {
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteStore(db, options.logger);
}
