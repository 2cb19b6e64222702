import type { Logger } from 'pino';
import type { Dialect, Migration, Queryable } from './types';

/** A transaction handle that can also run multi-statement SQL (migration scripts). */
export interface ScriptQueryable extends Queryable {
  exec(sql: string): Promise<void>;
}

/** What a store driver gives the migration runner. */
export interface MigrationHost {
  readonly dialect: Dialect;
  scriptTransaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T>;
}

/** One fixed advisory-lock key ("AEGISMIG" as ASCII) serialises migrations across processes on PostgreSQL. */
export const MIGRATION_LOCK_KEY = '4702963983711898951';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  service TEXT NOT NULL,
  id TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (service, id)
)`;

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

async function lock(tx: ScriptQueryable): Promise<void> {
  // SQLite needs nothing: every transaction starts with BEGIN IMMEDIATE, which already excludes
  // other writers, in this process and in others.
  if (tx.dialect === 'postgres')
    await tx.get(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY}) AS locked`);
}

/**
 * Applies the migrations of `service` not yet recorded in schema_migrations, in order, each in its own
 * transaction together with its record. Every step takes the migration lock and re-checks the record,
 * so two processes starting at once apply each migration exactly once. Returns the ids applied now.
 */
export async function applyMigrations(
  host: MigrationHost,
  service: string,
  migrations: readonly Migration[],
  logger?: Logger,
): Promise<string[]> {
  validateMigrations(service, migrations);
  await host.scriptTransaction(async (tx) => {
    await lock(tx);
    await tx.exec(CREATE_TABLE);
  });
  const rows = await host.scriptTransaction((tx) =>
    tx.all<{ id: string }>('SELECT id FROM schema_migrations WHERE service = ?', [service]),
  );
  const applied = new Set(rows.map((r) => r.id));
  const appliedNow: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    const didApply = await host.scriptTransaction(async (tx) => {
      await lock(tx);
      const done = await tx.get('SELECT id FROM schema_migrations WHERE service = ? AND id = ?', [
        service,
        migration.id,
      ]);
      if (done) return false;
      if (typeof migration.up === 'string') await tx.exec(migration.up);
      else await migration.up(tx);
      await tx.run('INSERT INTO schema_migrations (service, id, applied_at) VALUES (?, ?, ?)', [
        service,
        migration.id,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (didApply) {
      appliedNow.push(migration.id);
      logger?.info({ service, migration: migration.id, dialect: host.dialect }, 'Applied migration');
    }
  }
  return appliedNow;
}
