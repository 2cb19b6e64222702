import type { Logger, ServiceKit, Store } from '@aegis/common';
import { DEMO_TENANT, type Config } from './config';
import { isoDate } from './domain/dates';
import { countEntities } from './store/entities';
import { purgeStaleImports } from './store/imports';
import { KG_MIGRATIONS } from './store/migrations';
import { seedDemoData } from './store/seed';

export async function migrateGraphStore(store: Store): Promise<void> {
  await store.migrate('knowledge-graph', KG_MIGRATIONS);
}

/** Local mode: the first start of an empty store loads the demo data into tenant `default`. */
export async function seedIfEmpty(store: Store, logger: Logger, now: number): Promise<boolean> {
  if ((await countEntities(store, DEMO_TENANT)) > 0) return false;
  const counts = await seedDemoData(store, DEMO_TENANT, isoDate(now), new Date(now).toISOString());
  logger.info({ tenant: DEMO_TENANT, ...counts }, 'Loaded the demo data set into the empty store');
  return true;
}

/** The service's own start-up over the service kit: the demo data (local mode) and the hourly purge
 * of imports never committed. */
export async function startGraphJobs(kit: ServiceKit<Config>): Promise<void> {
  const { config, logger, store } = kit;
  if (config.seedDemoData) await seedIfEmpty(store, logger, Date.now());
  kit.every('purge stale imports', config.importPurgeIntervalMs, async () => {
    const imports = await purgeStaleImports(store, Date.now());
    if (imports > 0) logger.info({ imports }, 'Purged stale uncommitted imports');
  });
}
