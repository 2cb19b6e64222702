import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Logger } from 'pino';
import { GuardedDialect } from './guarded-dialect';
import { KyselyStore, type StoreDriver } from './kysely-store';
import type { TxGuard } from './tx-guard';
import type { Queryable } from './types';
import { normaliseSqliteRow, toSqliteParams } from './values';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. Parent directories are created. */
  filename: string;
  logger?: Logger;
  /** How long a writer waits for another process's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
  /** The page size (bytes) of a database file this creates; an existing one keeps its own (a WAL
   * database cannot change it). SQLite's default is 4096. */
  pageSize?: number;
}

const STATEMENT_CACHE_SIZE = 200;

/**
 * The better-sqlite3 handle Kysely's SqliteDialect runs on, made portable: prepared statements are
 * cached (LRU), values are bound as on PostgreSQL (booleans 1/0, Dates ISO text; see values.ts), and
 * INTEGERs are read as safe integers, returned as numbers unless beyond ±2^53.
 */
export class PortableSqliteDatabase implements SqliteDatabase {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly raw: Database.Database) {}

  close(): void {
    this.statements.clear();
    this.raw.close();
  }

  prepare(sql: string): SqliteStatement {
    const stmt = this.cached(sql);
    return {
      reader: stmt.reader,
      all: (params) => stmt.all(...toSqliteParams(params as never)).map((row) => normaliseSqliteRow(row)),
      run: (params) => stmt.run(...toSqliteParams(params as never)),
      iterate: (params) => stmt.iterate(...toSqliteParams(params as never)),
    };
  }

  private cached(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      this.statements.delete(sql);
    } else {
      stmt = this.raw.prepare(sql);
      if (stmt.reader) stmt.safeIntegers(true);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(sql, stmt);
    return stmt;
  }
}

/**
 * SQLite through Kysely's SqliteDialect, its one connection handed out through a FIFO mutex: an async
 * transaction callback never sees another caller's statements inside it, and statements outside a
 * transaction wait, in arrival order, until it has finished. Transactions start with BEGIN IMMEDIATE.
 */
function sqliteDriver(database: PortableSqliteDatabase, logger?: Logger): StoreDriver {
  const raw = database.raw;
  return {
    dialect: 'sqlite',
    createDialect: (guard: TxGuard) =>
      new GuardedDialect(new SqliteDialect({ database }), {
        guard,
        logger,
        beginSql: 'begin immediate',
        inTransaction: () => raw.open && raw.inTransaction,
        serialise: true,
      }),
    // The caller holds the one connection (it is inside the transaction), so exec cannot interleave.
    execScript: async (_tx: Queryable, script: string) => {
      raw.exec(script);
    },
    // A read on the one connection; safe even while a transaction is open, so readiness never waits.
    ping: async () => {
      raw.prepare('SELECT 1').get();
    },
  };
}

/** Opens a SQLite database: parent dirs created, WAL (files only), foreign keys on, busy timeout. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function openSqliteStore<DB = any>(options: SqliteStoreOptions): KyselyStore<DB> {
  const memory = options.filename === ':memory:';
  if (!memory) fs.mkdirSync(path.dirname(path.resolve(options.filename)), { recursive: true });
  const raw = new Database(options.filename);
  try {
    // Before WAL mode, which writes the header of a new file: only then does the page size take.
    if (options.pageSize !== undefined) raw.pragma(`page_size = ${Math.trunc(options.pageSize)}`);
    if (!memory) raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  } catch (err) {
    raw.close();
    throw err;
  }
  return new KyselyStore<DB>(sqliteDriver(new PortableSqliteDatabase(raw), options.logger), options.logger);
}
