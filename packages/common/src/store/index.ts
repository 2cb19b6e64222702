export * from './types';
export * from './open';
export { assertIdentifier, isIdentifier } from './sql';
export * from './query';
export * from './errors';
export { validateMigrations, MIGRATION_LOCK_KEY, type MigrationTables } from './migrate';
export { AsyncMutex } from './mutex';
export { QueryGuardPlugin } from './guard-plugin';
export { KyselyStore } from './kysely-store';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite';
export { openPostgresStore, type PostgresStoreOptions } from './postgres';
/** Kysely, re-exported so services declare their schema and write queries without their own copy. */
export {
  sql,
  Kysely,
  type ColumnType,
  type Expression,
  type ExpressionBuilder,
  type Generated,
  type Insertable,
  type RawBuilder,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  type Transaction,
  type Updateable,
} from 'kysely';
