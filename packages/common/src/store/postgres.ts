import { Pool, types as pgTypes, type PoolClient, type PoolConfig } from 'pg';
import type { Logger } from 'pino';
import { applyMigrations, type ScriptQueryable } from './migrate';
import { toPostgresPlaceholders } from './sql';
import { assertActive, TxGuard, type TxState } from './tx-guard';
import type { Migration, RunResult, SqlValue, Store } from './types';
import { pgTextParser, toPgParams } from './values';

export interface PostgresStoreOptions {
  url: string;
  logger?: Logger;
  /** Maximum pooled connections (default 10). */
  poolSize?: number;
}

/** Per-pool type parsing (never the process-global pg.types): BIGINT/NUMERIC as numbers, booleans 1/0. */
const portableTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const parser = format === 'binary' ? undefined : pgTextParser(oid);
    return parser ?? pgTypes.getTypeParser(oid, format ?? 'text');
  }) as typeof pgTypes.getTypeParser,
};

type Client = Pool | PoolClient;

async function query<T>(client: Client, sql: string, params: readonly SqlValue[] | undefined) {
  const text = toPostgresPlaceholders(sql);
  const values = toPgParams(params);
  // Without values pg uses the simple protocol, which also allows statements such as CREATE DATABASE.
  const result = values.length > 0 ? await client.query(text, values) : await client.query(text);
  return { rows: result.rows as T[], changes: result.rowCount ?? 0 };
}

/** PostgreSQL through a pg Pool; each transaction holds one pooled client from BEGIN to COMMIT/ROLLBACK. */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly guard = new TxGuard();
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger?: Logger,
  ) {
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', (err) => this.logger?.warn({ err }, 'Lost idle PostgreSQL connection'));
  }

  async all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    this.assertUsable('all()');
    return (await query<T>(this.pool, sql, params)).rows;
  }

  async get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    this.assertUsable('get()');
    return (await query<T>(this.pool, sql, params)).rows[0];
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    this.assertUsable('run()');
    return { changes: (await query(this.pool, sql, params)).changes };
  }

  transaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T> {
    return this.scriptTransaction(fn);
  }

  async scriptTransaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T> {
    this.assertUsable('transaction()');
    const client = await this.pool.connect();
    const state: TxState = { active: true };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await this.guard.run(state, () => fn(this.handle(client, state)));
        state.active = false;
        await client.query('COMMIT');
        return result;
      } catch (err) {
        state.active = false;
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
          this.logger?.error({ err: rollbackErr }, 'Failed to roll back PostgreSQL transaction');
        }
        throw err;
      }
    } catch (err) {
      broken ??= isConnectionError(err) ? (err as Error) : undefined;
      throw err;
    } finally {
      // A client whose state is unknown is destroyed instead of going back to the pool.
      client.release(broken);
    }
  }

  async migrate(service: string, migrations: readonly Migration[]): Promise<void> {
    await applyMigrations(this, service, migrations, this.logger);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('Store is closed');
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private handle(client: PoolClient, state: TxState): ScriptQueryable {
    return {
      dialect: this.dialect,
      all: async <T>(sql: string, params?: readonly SqlValue[]) => {
        assertActive(state);
        return (await query<T>(client, sql, params)).rows;
      },
      get: async <T>(sql: string, params?: readonly SqlValue[]) => {
        assertActive(state);
        return (await query<T>(client, sql, params)).rows[0];
      },
      run: async (sql: string, params?: readonly SqlValue[]) => {
        assertActive(state);
        return { changes: (await query(client, sql, params)).changes };
      },
      exec: async (sql: string) => {
        assertActive(state);
        await client.query(sql);
      },
    };
  }

  private assertUsable(what: string): void {
    if (this.closed) throw new Error('Store is closed');
    this.guard.assertOutside(what);
  }
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // Node socket errors, or PostgreSQL class 08 (connection exception) / 57P (operator intervention).
  return (
    typeof code === 'string' && (code.startsWith('E') || code.startsWith('08') || code.startsWith('57P'))
  );
}

export function openPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types: portableTypes,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  };
  return new PostgresStore(new Pool(config), options.logger);
}
