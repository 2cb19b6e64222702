import { APP, DEPLOYED_SERVICES, labelsOf, nameOf } from '../names';
import type { AegisBaseChart } from '../objects';
import { DASHBOARD_UID, grafanaDashboard } from '../observability/dashboard';
import { alertRules } from '../observability/rules';

const FILE = 'observability';
/** The components serving /metrics on their Service port named `admin`. */
const SCRAPED = ['gateway', 'operator', ...DEPLOYED_SERVICES.map((s) => s.name)];

/**
 * The opt-in monitoring objects (values `observability.*`, ADR 0023): a ServiceMonitor for every
 * component's admin port with a NetworkPolicy letting the scraper in, a PrometheusRule with the
 * platform's alerts, and a ConfigMap with the Grafana dashboard for Grafana's sidecar.
 */
export function addObservability(chart: AegisBaseChart): void {
  const b = chart.binder;
  const o = b.values.observability;
  /** The platform labels plus the user's (values), merged in Go templates as in TypeScript. */
  const metadata = (name: string, extra: Record<string, string>, expr: string) => {
    const base = labelsOf('platform');
    const dict = Object.entries(base)
      .map(([k, v]) => `${JSON.stringify(k)} ${JSON.stringify(v)}`)
      .join(' ');
    return {
      name,
      namespace: b.namespace,
      // As a fields placeholder: cdk8s would spread a string given as `labels` into characters.
      ...b.fields(true, 'true', { labels: b.yaml({ ...extra, ...base }, `(merge (dict ${dict}) ${expr})`) }),
    };
  };

  b.when(o.serviceMonitor.enabled, '.Values.observability.serviceMonitor.enabled', () => {
    chart.add(FILE, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: metadata(
        nameOf('platform'),
        o.serviceMonitor.labels,
        '.Values.observability.serviceMonitor.labels',
      ),
      spec: {
        selector: {
          matchLabels: { 'app.kubernetes.io/part-of': APP },
          matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: SCRAPED }],
        },
        endpoints: [
          {
            port: 'admin',
            path: '/metrics',
            interval: b.str(o.serviceMonitor.interval, '.Values.observability.serviceMonitor.interval'),
          },
        ],
      },
    });
    chart.add(FILE, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'aegis-metrics', namespace: b.namespace, labels: labelsOf('platform') },
      spec: {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/part-of': APP },
          matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: SCRAPED }],
        },
        ingress: [
          {
            from: b.yaml(o.serviceMonitor.from, '.Values.observability.serviceMonitor.from'),
            ports: [{ protocol: 'TCP', port: 'admin' }],
          },
        ],
        policyTypes: ['Ingress'],
      },
    });
  });

  b.when(o.prometheusRule.enabled, '.Values.observability.prometheusRule.enabled', () => {
    const notProgrammedFor = b.str(
      `${o.prometheusRule.notProgrammedMinutes}m`,
      'printf "%dm" (int .Values.observability.prometheusRule.notProgrammedMinutes)',
    );
    chart.add(FILE, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: metadata(
        nameOf('platform'),
        o.prometheusRule.labels,
        '.Values.observability.prometheusRule.labels',
      ),
      spec: {
        groups: [
          {
            name: 'aegis',
            rules: alertRules(notProgrammedFor).map((r) => ({
              alert: r.alert,
              expr: r.expr,
              for: r.for,
              labels: { severity: r.severity },
              annotations: { summary: r.summary, description: r.description },
            })),
          },
        ],
      },
    });
  });

  b.when(o.grafanaDashboard.enabled, '.Values.observability.grafanaDashboard.enabled', () => {
    chart.add(FILE, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: metadata(
        `${nameOf('platform')}-dashboard`,
        o.grafanaDashboard.labels,
        '.Values.observability.grafanaDashboard.labels',
      ),
      data: { [`${DASHBOARD_UID}.json`]: `${JSON.stringify(grafanaDashboard(), null, 2)}\n` },
    });
  });
}
