import type { Logger, ServiceApi, Store } from '@aegis/common';
import type { RuleChangeImpactSource } from './impact';
import { createRuleParameters, type RuleParameters } from './parameters';
import { rulesRoutes } from './routes';
import { bundledSeeder } from './store/operations';
import { asRulesStore } from './store/schema';

export interface RulesLibrary {
  /** What the tools read (the active parameters of a rule). */
  parameters: RuleParameters;
  /** Gives a tenant the bundled rules (once per process; idempotent in the store). */
  ensureTenant(tenant: string): Promise<void>;
  /** Registers the `/rules` routes, sharing the seeder and the parameters cache. */
  register(api: ServiceApi): void;
}

/**
 * The rules library over a store that has `RULES_MIGRATIONS` applied: one seeder and one parameters
 * cache shared by the routes and the tools, so a transition through the API is what the tools read
 * next. Wiring: `const rules = createRulesLibrary(kit.store); rules.register(api);` and pass
 * `rules.parameters` to the tools; call `rules.ensureTenant(t)` at start for the known tenants.
 */
export function createRulesLibrary(
  anyStore: Store,
  options: {
    now?: () => number;
    ttlMs?: number;
    /** The compliance monitor's rule-change impact (`createRuleChangeImpact`), answered on activation. */
    impact?: RuleChangeImpactSource;
    logger?: Logger;
  } = {},
): RulesLibrary {
  const store = asRulesStore(anyStore);
  const now = options.now ?? Date.now;
  const ensureTenant = bundledSeeder(store, now);
  const parameters = createRuleParameters(store, { now, ttlMs: options.ttlMs, ensureTenant });
  return {
    parameters,
    ensureTenant,
    register: (api) =>
      rulesRoutes(api, {
        store,
        now,
        parameters,
        ensureTenant,
        impact: options.impact,
        logger: options.logger,
      }),
  };
}
