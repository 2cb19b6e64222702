import { APP, DEPLOYED_SERVICES, GATEWAY_ADMIN_PORT, GATEWAY_PORT, labelsOf, selectorOf } from '../names';
import type { AegisBaseChart } from '../objects';

const PART_OF = { 'app.kubernetes.io/part-of': APP };
const fromPlatform = [{ podSelector: { matchLabels: PART_OF } }];

/**
 * Ingress rules: everything in the namespace is closed by default; the gateway's API port is open to
 * all (the ingress controller lives elsewhere); its admin port, the backends, the operator and the
 * data stores accept only the platform's own pods in this namespace.
 */
export function addNetworkPolicies(chart: AegisBaseChart): void {
  const b = chart.binder;
  const metadata = (name: string, component: Parameters<typeof labelsOf>[0]) => ({
    name,
    namespace: b.namespace,
    labels: labelsOf(component),
  });
  const policy = (name: string, component: Parameters<typeof labelsOf>[0], spec: Record<string, unknown>) =>
    chart.add('network-policies', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(name, component),
      spec: { ...spec, policyTypes: ['Ingress'] },
    });

  policy('aegis-default-deny', 'platform', { podSelector: {} });
  policy('aegis-gateway', 'gateway', {
    podSelector: { matchLabels: selectorOf('gateway') },
    ingress: [
      { ports: [{ protocol: 'TCP', port: GATEWAY_PORT }] },
      { from: fromPlatform, ports: [{ protocol: 'TCP', port: GATEWAY_ADMIN_PORT }] },
    ],
  });
  policy('aegis-backends', 'platform', {
    podSelector: {
      matchLabels: PART_OF,
      matchExpressions: [
        {
          key: 'app.kubernetes.io/component',
          operator: 'In',
          values: [...DEPLOYED_SERVICES.map((s) => s.name), 'operator', 'redis', 'postgresql'],
        },
      ],
    },
    ingress: [{ from: fromPlatform }],
  });
}
