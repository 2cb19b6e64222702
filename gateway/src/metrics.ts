import { createRegistry, DURATION_BUCKETS } from '@aegis/common';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The `tenant` label of a request (ADR 0023): the tenant id when the configuration knows the tenant
 * (so the values are bounded by the configured tenants), `other` for an authenticated caller of a tenant
 * the gateway does not run, `anonymous` before or without authentication. Never a value taken from
 * the request alone. */
export function tenantLabel(
  identity: { tenantId: string } | undefined,
  knownTenants: ReadonlyMap<string, unknown> | undefined,
): string {
  if (!identity) return 'anonymous';
  return knownTenants?.has(identity.tenantId) ? identity.tenantId : 'other';
}

/** The gateway's Prometheus metrics. Label values come from configuration (route prefixes, service
 * names, rule ids, configured tenant ids), never from request data, so cardinality stays bounded. */
export function createGatewayMetrics() {
  const registry = createRegistry('api-gateway');
  const opts = { registers: [registry] };
  return {
    registry,
    requests: new Counter({
      name: 'aegis_gateway_requests_total',
      help: 'Requests handled, by route prefix, upstream service, status and tenant (tenantLabel).',
      labelNames: ['route', 'upstream', 'status', 'tenant'] as const,
      ...opts,
    }),
    duration: new Histogram({
      name: 'aegis_gateway_request_duration_seconds',
      help: 'Time to handle a request (to the end of the response), by route prefix, upstream and tenant.',
      labelNames: ['route', 'upstream', 'tenant'] as const,
      buckets: [...DURATION_BUCKETS, 30],
      ...opts,
    }),
    inFlight: new Gauge({
      name: 'aegis_gateway_requests_in_flight',
      help: 'Requests being handled.',
      ...opts,
    }),
    limiterDecisions: new Counter({
      name: 'aegis_gateway_ratelimit_decisions_total',
      help: 'Rate-limit decisions, by rule, outcome and who decided.',
      labelNames: ['rule', 'outcome', 'decided_by'] as const,
      ...opts,
    }),
    limiterStoreErrors: new Counter({
      name: 'aegis_gateway_ratelimit_store_errors_total',
      help: 'Failed calls to the shared rate-limit store, by reason.',
      labelNames: ['reason'] as const,
      ...opts,
    }),
    upstreamErrors: new Counter({
      name: 'aegis_gateway_upstream_errors_total',
      help: 'Upstream failures answered by the gateway, by upstream and kind.',
      labelNames: ['upstream', 'kind'] as const,
      ...opts,
    }),
    configReloads: new Counter({
      name: 'aegis_gateway_config_reloads_total',
      help: 'Configuration loads, by outcome (applied, unchanged, rejected).',
      labelNames: ['outcome'] as const,
      ...opts,
    }),
    configInfo: new Gauge({
      name: 'aegis_gateway_config_info',
      help: 'The configuration the gateway runs (value 1, hash as label).',
      labelNames: ['hash'] as const,
      ...opts,
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
