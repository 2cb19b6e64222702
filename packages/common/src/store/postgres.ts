import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { Pool, types as pgTypes, type PoolConfig } from 'pg';
import type { Logger } from 'pino';
import { GuardedDialect } from './guarded-dialect';
import { execRawScript, KyselyStore, type StoreDriver } from './kysely-store';
import type { TxGuard } from './tx-guard';
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

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // Node socket errors, or PostgreSQL class 08 (connection exception) / 57P (operator intervention).
  return (
    typeof code === 'string' && (code.startsWith('E') || code.startsWith('08') || code.startsWith('57P'))
  );
}

/**
 * The pool Kysely's PostgresDialect runs on, made portable: values bound as on SQLite (values.ts), and
 * a client that lost its connection is destroyed instead of going back to the pool. Without values pg
 * uses the simple protocol, which allows scripts and statements such as CREATE DATABASE.
 */
export function portablePool(pool: Pool): PostgresPool {
  return {
    connect: async (): Promise<PostgresPoolClient> => {
      const client = await pool.connect();
      let broken: Error | undefined;
      return {
        query: (async (text: string, params: readonly unknown[]) => {
          try {
            return await client.query(text, toPgParams(params as never));
          } catch (err) {
            if (isConnectionError(err)) broken = err as Error;
            throw err;
          }
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(broken ?? destroy),
      };
    },
    end: () => pool.end(),
  };
}

function postgresDriver(pool: Pool, logger?: Logger): StoreDriver {
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => logger?.warn({ err }, 'Lost idle PostgreSQL connection'));
  return {
    dialect: 'postgres',
    createDialect: (guard: TxGuard) =>
      new GuardedDialect(new PostgresDialect({ pool: portablePool(pool) }), { guard, logger }),
    execScript: execRawScript,
    ping: async () => {
      await pool.query('SELECT 1');
    },
  };
}

/** PostgreSQL through Kysely's PostgresDialect over a pg Pool; a transaction holds one pooled client. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function openPostgresStore<DB = any>(options: PostgresStoreOptions): KyselyStore<DB> {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types: portableTypes,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  };
  return new KyselyStore<DB>(postgresDriver(new Pool(config), options.logger), options.logger);
}
