import type { Logger } from '@aegis/common';
import { demoScenario } from '@aegis/demo';
import { DEMO_TENANT } from './config';
import { insertFlareEvent } from './store/flare-events';
import type { FlaringStore } from './store/schema';

/**
 * Local mode: when tenant `default` has no flare events, loads the demo scenario's (the one the
 * knowledge graph seeds its wells and authorisations from, relative to the same day), so the monitor
 * starts with wells under, near and over their Rule 32 limits and one flaring with no authorisation.
 * Written straight to the store in one transaction: the graph may still be starting, and the
 * scenario's wells and authorisations are the graph's own by construction.
 */
export async function seedDemoFlareEvents(store: FlaringStore, logger: Logger, now: number): Promise<number> {
  const existing = await store.db
    .selectFrom('flare_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', DEMO_TENANT)
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return 0;
  const asOf = new Date(now).toISOString();
  const events = demoScenario(asOf.slice(0, 10)).flareEvents;
  await store.transaction(async (tx) => {
    for (const e of events) {
      await insertFlareEvent(
        tx,
        DEMO_TENANT,
        { ...e, status: 'open', source: 'scada', created_by: 'demo' },
        asOf,
      );
    }
  });
  logger.info({ tenant: DEMO_TENANT, flare_events: events.length }, 'Loaded the demo flare events');
  return events.length;
}
