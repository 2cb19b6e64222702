import type { ApprovalsClient } from '@aegis/approvals';
import type { Logger, Store } from '@aegis/common';
import type { GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import type { Rule37Parameters } from '../rules';
import { createFilingFacts, createFlaringAssessor } from './facts';
import type { FilingDeps } from './produce';
import { asFilingsStore } from './store/schema';

export interface FilingWiring {
  /** The orchestration's store (the checklist and filing migrations applied). */
  store: Store;
  /** The approvals client calling with the service token (the one the checklists use). */
  approvals: ApprovalsClient;
  kg: KnowledgeGraphClient;
  /** `config.flaringMonitorUrl` (FLARING_MONITOR_URL) and `config.toolTimeoutMs`. */
  flaringMonitorUrl: string;
  timeoutMs: number;
  /** The service identity (`createServiceIdentity`): facts are read as it, acting on the tenant. */
  identity: { caller(tenant: string): Promise<GraphCaller> };
  /** The tenant's active Rule 37 parameters: `(t) => ruleParameters.active(t, 'rule_37')`. */
  rule37?: (tenant: string) => Promise<Rule37Parameters>;
  logger?: Logger;
  now?: () => number;
}

/** The dependencies of `filingsRoutes` and `onFilingApprovalDecided`, from the service's parts. */
export function filingDeps(w: FilingWiring): FilingDeps {
  return {
    store: asFilingsStore(w.store),
    checklists: w.store,
    approvals: w.approvals,
    facts: createFilingFacts({
      kg: w.kg,
      flaring: createFlaringAssessor({
        baseUrl: w.flaringMonitorUrl,
        timeoutMs: w.timeoutMs,
        logger: w.logger,
      }),
      rule37: w.rule37,
    }),
    caller: (tenant) => w.identity.caller(tenant),
    now: w.now ?? Date.now,
    logger: w.logger,
  };
}
