import type { Logger, Store } from '@aegis/common';
import { DEMO_TENANT } from './config';
import { isoDate } from './domain/dates';
import { countEntities } from './store/entities';
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
