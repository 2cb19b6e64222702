/** The chart's Grafana dashboard (ADR 0023): requests, 429s and latency per tenant and route from the
 * gateway; queue, reconciles, errors and API writes from the operator. Metric names are the
 * registries' own (a test checks every expression). No `{{` anywhere: the JSON goes through Helm's
 * template engine as it is, so legends use Grafana's automatic naming. */

interface Panel {
  title: string;
  unit: string;
  exprs: string[];
}

const $tenant = 'tenant=~"$tenant"';

const PANELS: Panel[] = [
  {
    title: 'Requests per second by tenant',
    unit: 'reqps',
    exprs: [`sum by (tenant) (rate(aegis_gateway_requests_total{${$tenant}}[5m]))`],
  },
  {
    title: 'Requests per second by route',
    unit: 'reqps',
    exprs: [`sum by (route) (rate(aegis_gateway_requests_total{${$tenant}}[5m]))`],
  },
  {
    title: '429 (rate limited) per second by tenant and route',
    unit: 'reqps',
    exprs: [`sum by (tenant, route) (rate(aegis_gateway_requests_total{status="429",${$tenant}}[5m]))`],
  },
  {
    title: '5xx per second by route',
    unit: 'reqps',
    exprs: [`sum by (route) (rate(aegis_gateway_requests_total{status=~"5..",${$tenant}}[5m]))`],
  },
  {
    title: 'Latency p95 by tenant and route',
    unit: 's',
    exprs: [
      `histogram_quantile(0.95, sum by (le, tenant, route) (rate(aegis_gateway_request_duration_seconds_bucket{${$tenant}}[5m])))`,
    ],
  },
  {
    title: 'Rate-limit decisions by outcome and decider',
    unit: 'ops',
    exprs: ['sum by (outcome, decided_by) (rate(aegis_gateway_ratelimit_decisions_total[5m]))'],
  },
  {
    title: 'Operator work queue depth',
    unit: 'short',
    exprs: ['max(aegis_operator_queue_depth)'],
  },
  {
    title: 'Reconciles per second by outcome',
    unit: 'ops',
    exprs: ['sum by (outcome) (rate(aegis_operator_reconciles_total[5m]))'],
  },
  {
    title: 'Reconcile errors per second by reason',
    unit: 'ops',
    exprs: ['sum by (reason) (rate(aegis_operator_reconcile_errors_total[5m]))'],
  },
  {
    title: 'Reconcile duration p95',
    unit: 's',
    exprs: [
      'histogram_quantile(0.95, sum by (le) (rate(aegis_operator_reconcile_duration_seconds_bucket[5m])))',
    ],
  },
  {
    title: 'Kubernetes API writes per second by verb and resource',
    unit: 'wps',
    exprs: ['sum by (verb, resource) (rate(aegis_operator_kube_writes_total[5m]))'],
  },
  {
    title: 'Tenants by condition',
    unit: 'short',
    exprs: ['max by (condition, status) (aegis_operator_tenants)'],
  },
];

/** Every PromQL expression of the dashboard. */
export const dashboardExpressions = (): string[] => PANELS.flatMap((p) => p.exprs);

export const DASHBOARD_UID = 'aegis-overview';

/** The dashboard as Grafana's JSON model (schemaVersion 39), two panels per row. */
export function grafanaDashboard(): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  return {
    uid: DASHBOARD_UID,
    title: 'AEGIS',
    tags: ['aegis'],
    timezone: 'browser',
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' },
        {
          name: 'tenant',
          label: 'Tenant',
          type: 'query',
          datasource,
          query: 'label_values(aegis_gateway_requests_total, tenant)',
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
          refresh: 2,
        },
      ],
    },
    panels: PANELS.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.exprs.map((expr, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource,
        expr,
        legendFormat: '__auto',
      })),
    })),
  };
}
