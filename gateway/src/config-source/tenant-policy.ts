import type { AegisTenantSpec, FailurePolicy, ServiceName } from '@aegis/common';
import { PrefixTrie } from '../routing/prefix-trie';

export interface QuotaRule {
  /** Stable id used in limiter keys, headers and metrics: identity, tenant or route:<name>. */
  id: string;
  requestsPerMinute: number;
  burst: number;
}

/** A tenant spec compiled for the request path: everything precomputed once per config load. */
export interface TenantPolicy {
  tenantId: string;
  generation?: number;
  suspended: boolean;
  services: ReadonlySet<ServiceName>;
  failurePolicy: FailurePolicy;
  identityRule: QuotaRule;
  tenantRule?: QuotaRule;
  routeRules: PrefixTrie<QuotaRule>;
}

/** Bucket size for the tenant-wide ceiling: ten seconds' worth of the ceiling, never below one
 * identity's burst (docs/adr/0005-gateway-config.md). */
export function tenantBurst(tenantRequestsPerMinute: number, identityBurst: number): number {
  return Math.max(identityBurst, Math.ceil(tenantRequestsPerMinute / 6));
}

export function compileTenant(name: string, spec: AegisTenantSpec, generation?: number): TenantPolicy {
  const rl = spec.rateLimit;
  const routeRules = new PrefixTrie<QuotaRule>();
  for (const r of rl.routes) {
    routeRules.insert(r.pathPrefix.replace(/\/$/, ''), {
      id: `route:${r.name}`,
      requestsPerMinute: r.requestsPerMinute,
      burst: r.burst,
    });
  }
  return {
    tenantId: spec.tenantId ?? name,
    ...(generation !== undefined ? { generation } : {}),
    suspended: spec.suspended,
    services: new Set(spec.services),
    failurePolicy: rl.failurePolicy,
    identityRule: { id: 'identity', requestsPerMinute: rl.requestsPerMinute, burst: rl.burst },
    ...(rl.tenantRequestsPerMinute !== undefined
      ? {
          tenantRule: {
            id: 'tenant',
            requestsPerMinute: rl.tenantRequestsPerMinute,
            burst: tenantBurst(rl.tenantRequestsPerMinute, rl.burst),
          },
        }
      : {}),
    routeRules,
  };
}

/** The identity rule for a public path: the most specific route override, else the tenant default. */
export function identityRuleFor(policy: TenantPolicy, path: string): QuotaRule {
  return policy.routeRules.longest(path) ?? policy.identityRule;
}
