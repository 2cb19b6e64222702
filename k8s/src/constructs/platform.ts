import { EXTERNAL_URLS_SECRET, GATEWAY_PORT, labelsOf, nameOf } from '../names';
import type { AegisBaseChart } from '../objects';

/** The namespace of the plain manifests, enforcing the `restricted` Pod Security Standard. (The Helm
 * chart installs into the release namespace: `helm install --create-namespace`.) */
export function addNamespace(chart: AegisBaseChart): void {
  const b = chart.binder;
  if (b.helm) return;
  chart.add('namespace', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: b.values.namespace,
      labels: {
        ...labelsOf('platform'),
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  });
}

/** External Redis/PostgreSQL URLs (values) kept in a Secret rather than in pod specs. */
export function addExternalUrls(chart: AegisBaseChart): void {
  const b = chart.binder;
  const { redis, postgresql } = b.values;
  b.when(
    !redis.enabled || !postgresql.enabled,
    'or (not .Values.redis.enabled) (not .Values.postgresql.enabled)',
    () => {
      chart.add('external-urls', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: EXTERNAL_URLS_SECRET, namespace: b.namespace, labels: labelsOf('platform') },
        type: 'Opaque',
        stringData: {
          ...b.fields(!redis.enabled, 'not .Values.redis.enabled', {
            'redis-url': b.str(
              redis.url,
              'required "redis.url is required when redis.enabled is false" .Values.redis.url',
            ),
          }),
          ...b.fields(!postgresql.enabled, 'not .Values.postgresql.enabled', {
            'database-url': b.str(
              postgresql.url,
              'required "postgresql.url is required when postgresql.enabled is false" .Values.postgresql.url',
            ),
          }),
        },
      });
    },
  );
}

/** An Ingress to the gateway's API port, the platform's only entrance. */
export function addIngress(chart: AegisBaseChart): void {
  const b = chart.binder;
  const ing = b.values.ingress;
  b.when(ing.enabled, '.Values.ingress.enabled', () => {
    chart.add('ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: nameOf('gateway'),
        namespace: b.namespace,
        labels: labelsOf('gateway'),
        ...b.fields(Object.keys(ing.annotations).length > 0, '.Values.ingress.annotations', {
          annotations: b.yaml(ing.annotations, '.Values.ingress.annotations'),
        }),
      },
      spec: {
        ...b.fields(ing.className !== '', '.Values.ingress.className', {
          ingressClassName: b.str(ing.className, '.Values.ingress.className'),
        }),
        ...b.fields(ing.tls.length > 0, '.Values.ingress.tls', {
          tls: b.yaml(ing.tls, '.Values.ingress.tls'),
        }),
        rules: [
          {
            host: b.str(
              ing.host,
              'required "ingress.host is required when ingress.enabled is true" .Values.ingress.host',
            ),
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: nameOf('gateway'), port: { number: GATEWAY_PORT } } },
                },
              ],
            },
          },
        ],
      },
    });
  });
}
