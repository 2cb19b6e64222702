import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Dialect, Migration, Queryable } from './types';

/** The table that records applied migrations, shared by every service of a database. Its shape is the
 * one the store has always created, so databases made before Kysely keep migrating. */
export interface MigrationTables {
  schema_migrations: { service: string; id: string; applied_at: string };
}

/** What a store gives the migration runner. */
export interface MigrationHost {
  readonly dialect: Dialect;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  execScript(tx: Queryable, script: string): Promise<void>;
}

/** One fixed advisory-lock key ("AEGISMIG" as ASCII) serialises migrations across processes on PostgreSQL. */
export const MIGRATION_LOCK_KEY = '4702963983711898951';

const SERVICE_NAME = /^[a-z][a-z0-9_-]*$/;

/** Checks the list before touching the database: valid service, non-empty unique ids in ascending order. */
export function validateMigrations(service: string, migrations: readonly Migration[]): void {
  if (!SERVICE_NAME.test(service))
    throw new TypeError(`Invalid migration service name ${JSON.stringify(service)}`);
  let previous: string | undefined;
  for (const m of migrations) {
    if (typeof m.id !== 'string' || m.id.length === 0)
      throw new TypeError('Migration id must be a non-empty string');
    if (typeof m.up !== 'string' && typeof m.up !== 'function') {
      throw new TypeError(`Migration ${m.id} has no up script or function`);
    }
    if (previous !== undefined && m.id <= previous) {
      throw new TypeError(
        `Migration ids must be unique and ascending: ${JSON.stringify(m.id)} follows ${JSON.stringify(previous)}`,
      );
    }
    previous = m.id;
  }
}

async function lock(tx: Queryable<MigrationTables>): Promise<void> {
  // SQLite needs nothing: every transaction starts with BEGIN IMMEDIATE, which already excludes
  // other writers, in this process and in others.
  if (tx.dialect === 'postgres')
    await sql`SELECT pg_advisory_xact_lock(${BigInt(MIGRATION_LOCK_KEY)}) AS locked`.execute(tx.db);
}

/**
 * Applies the migrations of `service` not yet recorded in schema_migrations, in order, each in its own
 * transaction together with its record. Every step takes the migration lock and re-checks the record,
 * so two processes starting at once apply each migration exactly once. Returns the ids applied now.
 * Kysely's own Migrator is not used: its table records one global list, not one list per service.
 */
export async function applyMigrations(
  host: MigrationHost,
  service: string,
  migrations: readonly Migration[],
  logger?: Logger,
): Promise<string[]> {
  validateMigrations(service, migrations);
  await host.transaction(async (tx: Queryable<MigrationTables>) => {
    await lock(tx);
    await tx.db.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('schema_migrations_pkey', ['service', 'id'])
      .execute();
  });
  const rows = await host.transaction((tx: Queryable<MigrationTables>) =>
    tx.db.selectFrom('schema_migrations').select('id').where('service', '=', service).execute(),
  );
  const applied = new Set(rows.map((r) => r.id));
  const appliedNow: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    const didApply = await host.transaction(async (tx: Queryable<MigrationTables>) => {
      await lock(tx);
      const done = await tx.db
        .selectFrom('schema_migrations')
        .select('id')
        .where('service', '=', service)
        .where('id', '=', migration.id)
        .executeTakeFirst();
      if (done) return false;
      if (typeof migration.up === 'string') await host.execScript(tx, migration.up);
      else await migration.up(tx);
      await tx.db
        .insertInto('schema_migrations')
        .values({ service, id: migration.id, applied_at: new Date().toISOString() })
        .execute();
      return true;
    });
    if (didApply) {
      appliedNow.push(migration.id);
      logger?.info({ service, migration: migration.id, dialect: host.dialect }, 'Applied migration');
    }
  }
  return appliedNow;
}
