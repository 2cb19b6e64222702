/* eslint-disable @typescript-eslint/no-explicit-any -- the synthesised manifests are untyped JSON walked
   by the assertions. */
import { createGatewayMetrics } from '@aegis/gateway';
import { countTenantConditions, createOperatorMetrics } from '@aegis/operator';
import { synthManifests } from '../synth';
import { dashboardExpressions, grafanaDashboard } from './dashboard';
import { alertRules, metricNamesOf } from './rules';

type Obj = { kind: string; metadata: { name: string; labels?: Record<string, string> }; [k: string]: any };

/** Every metric name the gateway and the operator expose, with a histogram's series suffixes. */
async function exposedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  const operator = createOperatorMetrics();
  for (const registry of [createGatewayMetrics().registry, operator.registry]) {
    for (const m of await registry.getMetricsAsJSON()) {
      names.add(m.name);
      if (String(m.type) === 'histogram')
        for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
    }
  }
  return names;
}

describe('the observability pack', () => {
  it('alerts and charts only metrics the gateway and the operator expose', async () => {
    const exposed = await exposedNames();
    const exprs = [...alertRules('10m').map((r) => r.expr), ...dashboardExpressions()];
    const used = new Set(exprs.flatMap(metricNamesOf));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect({ name, exposed: exposed.has(name) }).toEqual({ name, exposed: true });
  });

  it('finds the metric names of an expression, not its functions, labels or strings', () => {
    expect(
      metricNamesOf(
        'sum by (le, tenant) (rate(aegis_x_seconds_bucket{status="5..",reason=~"a_total"}[5m])) or max(aegis_y)',
      ).sort(),
    ).toEqual(['aegis_x_seconds_bucket', 'aegis_y']);
  });

  it('has the alerts the platform needs, each with a severity and a summary', () => {
    const rules = alertRules('7m');
    expect(rules.map((r) => r.alert)).toEqual([
      'AegisTenantsNotProgrammed',
      'AegisGatewayConfigDeliveryFailing',
      'AegisOperatorReconcileErrors',
      'AegisOperatorNoLeader',
      'AegisGatewayLimiterDegraded',
    ]);
    expect(rules[0].for).toBe('7m');
  });

  it('counts tenants per condition and status, a missing condition as Unknown', () => {
    const counts = countTenantConditions([
      { status: { conditions: [{ type: 'Programmed', status: 'True' }] } },
      { status: { conditions: [{ type: 'Programmed', status: 'False' }] } },
      {},
    ]);
    expect(counts.get('Programmed/True')).toBe(1);
    expect(counts.get('Programmed/False')).toBe(1);
    expect(counts.get('Programmed/Unknown')).toBe(1);
    expect(counts.get('Accepted/Unknown')).toBe(3);
  });

  it('is off by default', () => {
    const kinds = (synthManifests({}) as Obj[]).map((d) => d.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
  });

  it('renders a ServiceMonitor, a scrape NetworkPolicy, a PrometheusRule and the dashboard when enabled', () => {
    const docs = synthManifests({
      observability: {
        serviceMonitor: { enabled: true, labels: { release: 'kps' } },
        prometheusRule: { enabled: true, notProgrammedMinutes: 3, labels: { release: 'kps' } },
        grafanaDashboard: { enabled: true },
      },
    }) as Obj[];
    const find = (kind: string) =>
      docs.find((d) => d.kind === kind && /aegis-(platform|metrics)/.test(d.metadata.name))!;
    const sm = find('ServiceMonitor');
    expect(sm.metadata.labels).toMatchObject({ release: 'kps', 'app.kubernetes.io/part-of': 'aegis' });
    expect(sm.spec.endpoints).toEqual([{ port: 'admin', path: '/metrics', interval: '30s' }]);
    expect(sm.spec.selector.matchExpressions[0].values).toEqual(
      expect.arrayContaining(['gateway', 'operator', 'auth']),
    );
    const policy = docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'aegis-metrics')!;
    expect(policy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 'admin' }] },
    ]);
    const rule = find('PrometheusRule');
    expect(rule.spec.groups[0].rules[0]).toMatchObject({ alert: 'AegisTenantsNotProgrammed', for: '3m' });
    const dashboard = docs.find(
      (d) => d.kind === 'ConfigMap' && d.metadata.name === 'aegis-platform-dashboard',
    )!;
    expect(dashboard.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(JSON.parse(dashboard.data['aegis-overview.json'])).toEqual(grafanaDashboard());
  });

  it('keeps Go template braces out of the dashboard and the rules (Helm would evaluate them)', () => {
    const text = JSON.stringify([grafanaDashboard(), alertRules('10m')]);
    expect(text).not.toContain('{{');
  });
});

describe('ingress values', () => {
  it('refuses ingress.enabled without a host, naming the field', () => {
    expect(() => synthManifests({ ingress: { enabled: true } })).toThrow(
      /ingress\.host: required when ingress\.enabled is true/,
    );
    expect(() => synthManifests({ ingress: { enabled: true, host: 'api.example.com' } })).not.toThrow();
  });
});
