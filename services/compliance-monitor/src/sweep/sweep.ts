import type { Logger, ServiceIdentity } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type { AlertDraft } from '../domain/alerts';
import { deadlineAlerts, WARNING_DAYS } from '../domain/deadlines';
import { periodWindow, productionAlerts } from '../domain/production';
import { loadPortfolio, wellsOf } from '../graph/portfolio';
import { markPublished, recordAlerts, unpublishedAlerts } from '../store/alerts';
import type { ComplianceStore } from '../store/schema';
import type { Caller, Publisher } from './publish';

/** What the sweep needs of the service's own identity (a client-credentials token, ADR 0019). */
export type SweepIdentity = Pick<ServiceIdentity, 'caller' | 'tenants'>;

export interface SweepDeps {
  store: ComplianceStore;
  kg: KnowledgeGraphClient;
  identity: SweepIdentity;
  publish: Publisher;
  logger: Logger;
  now?: () => number;
}

/** Months of production each sweep looks at (the latest three: late reports still get flagged). */
export const SWEEP_MONTHS = 3;

/** The alerts a sweep records for a tenant: deadlines due within 30 days (critical and warning) and
 * the production anomalies of the last SWEEP_MONTHS months. */
export async function tenantAlerts(
  kg: KnowledgeGraphClient,
  caller: Caller,
  asOf: string,
): Promise<AlertDraft[]> {
  const wells = await wellsOf(kg, caller, { all: true });
  const portfolio = await loadPortfolio(kg, caller, wells, asOf, true);
  return [
    ...deadlineAlerts(portfolio.deadlines, asOf, WARNING_DAYS),
    ...productionAlerts(portfolio.wells, portfolio.authorizations, periodWindow(asOf, SWEEP_MONTHS)),
  ];
}

/**
 * One sweep over every tenant: record the alerts not recorded before (deduplicated by key in the
 * store, so overlapping sweeps record each once), then publish every alert still unpublished. A
 * tenant that fails is logged and the others still run.
 */
export async function sweepOnce(
  deps: SweepDeps,
  signal?: AbortSignal,
): Promise<{ recorded: number; published: number }> {
  const now = deps.now ?? Date.now;
  let recorded = 0;
  let published = 0;
  for (const tenant of await deps.identity.tenants()) {
    if (signal?.aborted) break;
    try {
      const caller = await deps.identity.caller(tenant);
      const at = new Date(now()).toISOString();
      const drafts = await tenantAlerts(deps.kg, caller, at.slice(0, 10));
      recorded += (await recordAlerts(deps.store, tenant, drafts, at)).length;
      for (const alert of await unpublishedAlerts(deps.store, tenant)) {
        if (signal?.aborted) break;
        if (await deps.publish(caller, alert)) {
          await markPublished(deps.store, tenant, alert.alert_id, new Date(now()).toISOString());
          published += 1;
        }
      }
    } catch (err) {
      deps.logger.error({ err, tenant }, 'Failed compliance sweep of a tenant');
    }
  }
  if (recorded > 0 || published > 0) deps.logger.info({ recorded, published }, 'Swept compliance alerts');
  return { recorded, published };
}
