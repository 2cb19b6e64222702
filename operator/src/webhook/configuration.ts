import { GROUP, VERSION } from '@aegis/common';
import { PLURAL } from '../api/v1alpha1/crd';
import { VALIDATE_PATH, WEBHOOK_NAME } from './admission';

/** The ValidatingWebhookConfiguration of the tenant-id check, for the chart (a Service in the
 * cluster) and for tests (a URL). failurePolicy Ignore: tenant edits never depend on the operator
 * being up; the reconciler still refuses a collision the webhook did not see (ADR 0023). */
export function validatingWebhookConfiguration(options: {
  name: string;
  namespace: string;
  /** base64 PEM of the CA that signed the serving certificate. */
  caBundle: string;
  target: { service: { name: string; namespace: string; port: number } } | { url: string };
  labels?: Record<string, string>;
}): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  webhooks: Record<string, unknown>[];
} {
  const clientConfig =
    'url' in options.target
      ? { url: `${options.target.url}${VALIDATE_PATH}`, caBundle: options.caBundle }
      : { service: { ...options.target.service, path: VALIDATE_PATH }, caBundle: options.caBundle };
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: options.name, ...(options.labels ? { labels: options.labels } : {}) },
    webhooks: [
      {
        name: WEBHOOK_NAME,
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Ignore',
        timeoutSeconds: 5,
        matchPolicy: 'Equivalent',
        // The operator watches one namespace; tenants elsewhere are not its concern.
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': options.namespace } },
        rules: [
          {
            apiGroups: [GROUP],
            apiVersions: [VERSION],
            operations: ['CREATE', 'UPDATE'],
            resources: [PLURAL],
            scope: 'Namespaced',
          },
        ],
        clientConfig,
      },
    ],
  };
}
