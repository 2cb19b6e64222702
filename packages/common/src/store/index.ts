export * from './types';
export * from './open';
export * from './sql';
export {
  COMPARISON_OPS,
  type ComparisonOp,
  type OrderBy,
  type RowInput,
  type SelectOptions,
  type SortDir,
  type Where,
  type WhereCondition,
} from './build';
export * from './builder';
export * from './errors';
export { validateMigrations, MIGRATION_LOCK_KEY, type ScriptQueryable } from './migrate';
export { AsyncMutex } from './mutex';
export { SqliteStore, openSqliteStore, type SqliteStoreOptions } from './sqlite';
export { PostgresStore, openPostgresStore, type PostgresStoreOptions } from './postgres';
