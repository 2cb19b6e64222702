/** The alerts of the chart's PrometheusRule (ADR 0023). Every metric named here exists in the
 * gateway's or the operator's registry (a test parses the expressions and checks). */

export interface AlertRule {
  alert: string;
  expr: string;
  /** How long the condition must hold; `notProgrammed` takes it from the values. */
  for: string;
  severity: 'warning' | 'critical';
  summary: string;
  description: string;
}

/** Minutes a tenant may stay not Programmed before AegisTenantsNotProgrammed fires (default). */
export const NOT_PROGRAMMED_MINUTES = 10;

/** The alerts; `notProgrammedFor` is the `for` of the not-Programmed alert (e.g. "10m"). */
export function alertRules(notProgrammedFor: string): AlertRule[] {
  return [
    {
      alert: 'AegisTenantsNotProgrammed',
      // max across operator replicas: each counts from its own watch cache.
      expr: 'max(aegis_operator_tenants{condition="Programmed",status!="True"}) > 0',
      for: notProgrammedFor,
      severity: 'warning',
      summary: 'AegisTenants have not been Programmed on every gateway replica',
      description:
        'Some tenants are not Programmed. `kubectl get aegistenants` shows which; `kubectl describe aegistenant <name>` shows the reason and the Events.',
    },
    {
      alert: 'AegisGatewayConfigDeliveryFailing',
      expr:
        'sum(increase(aegis_gateway_config_reloads_total{outcome="rejected"}[10m])) > 0 ' +
        'or sum(increase(aegis_operator_reconcile_errors_total{reason=~".*Config.*"}[10m])) > 0',
      for: '10m',
      severity: 'critical',
      summary: 'Compiled gateway configuration is not being delivered',
      description:
        'Gateways rejected configuration or the operator failed to write it for 10 minutes; the gateways keep their last good configuration.',
    },
    {
      alert: 'AegisOperatorReconcileErrors',
      expr:
        'sum(rate(aegis_operator_reconcile_errors_total[5m])) / ' +
        'clamp_min(sum(rate(aegis_operator_reconciles_total[5m])), 0.001) > 0.1',
      for: '15m',
      severity: 'warning',
      summary: 'More than 10 % of the operator’s reconciles fail',
      description: 'See aegis_operator_reconcile_errors_total by reason and the operator logs.',
    },
    {
      alert: 'AegisOperatorNoLeader',
      expr: 'max(aegis_operator_leader) < 1',
      for: '5m',
      severity: 'critical',
      summary: 'No operator replica holds the leader lease',
      description: 'Tenant changes are not reconciled until a replica leads again.',
    },
    {
      alert: 'AegisGatewayLimiterDegraded',
      // Decisions not taken by the shared store: the Redis limiter is unreachable and each replica
      // applies the tenants' failure policy (LocalFallback, Open or Closed).
      expr: 'sum by (pod) (rate(aegis_gateway_ratelimit_decisions_total{decided_by!="store"}[5m])) > 0',
      for: '5m',
      severity: 'warning',
      summary: 'The gateway rate limiter runs without its shared store',
      description:
        'Quotas are enforced per replica (or not at all, failure policy Open) until Redis is reachable; see aegis_gateway_ratelimit_store_errors_total.',
    },
  ];
}

/** The metric names an expression reads (identifiers followed by `{`, `[` or a space, minus PromQL's
 * own words). */
export function metricNamesOf(expr: string): string[] {
  const words = new Set([
    'sum',
    'max',
    'min',
    'avg',
    'rate',
    'increase',
    'clamp_min',
    'histogram_quantile',
    'by',
    'or',
    'and',
    'unless',
    'without',
  ]);
  const out = new Set<string>();
  // Drop label matchers and strings first: their contents are not metric names.
  const bare = expr.replace(/\{[^}]*\}/g, '{}').replace(/"[^"]*"/g, '""');
  for (const m of bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b/g)) {
    const name = m[1];
    if (!words.has(name) && /^aegis_|_total$|_seconds/.test(name)) out.add(name);
  }
  return [...out];
}
