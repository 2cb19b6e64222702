import { validatingWebhookConfiguration } from '@aegis/operator';
import { labelsOf, nameOf, selectorOf, OPERATOR_WEBHOOK_SERVICE_PORT, WEBHOOK_TLS_SECRET } from '../names';
import type { AegisBaseChart } from '../objects';

/**
 * The operator's admission webhook for tenant id collisions (ADR 0023), Helm only: a CA and a
 * serving certificate generated at install (genCA/genSignedCert, kept across upgrades by lookup, see
 * _helpers.tpl), their Secret, the ValidatingWebhookConfiguration trusting the CA and a NetworkPolicy
 * opening the webhook port. Plain
 * manifests carry neither (no way to make a certificate in static YAML): the operator then serves
 * no webhook and the reconciler alone refuses collisions.
 */
export function addAdmissionWebhook(chart: AegisBaseChart): void {
  const b = chart.binder;
  if (!b.helm) return;
  b.when(b.values.admissionWebhook.enabled, '.Values.admissionWebhook.enabled', () => {
    chart.add('admission-webhook', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: WEBHOOK_TLS_SECRET, namespace: b.namespace, labels: labelsOf('operator') },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': b.str('', 'include "aegis.webhookTls.crt" .'),
        'tls.key': b.str('', 'include "aegis.webhookTls.key" .'),
        'ca.crt': b.str('', 'include "aegis.webhookTls.ca" .'),
      },
    });
    chart.add(
      'admission-webhook',
      validatingWebhookConfiguration({
        // Cluster-scoped: one per release namespace.
        name: `${nameOf('operator')}-${b.namespace}`,
        namespace: b.namespace,
        caBundle: b.str('', 'include "aegis.webhookTls.ca" .'),
        target: {
          service: { name: nameOf('operator'), namespace: b.namespace, port: OPERATOR_WEBHOOK_SERVICE_PORT },
        },
        labels: labelsOf('operator'),
      }),
    );
    // The API server is no pod of the namespace, so the webhook port is open to all; nothing else of
    // the operator is (network.ts).
    chart.add('admission-webhook', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: `${nameOf('operator')}-webhook`,
        namespace: b.namespace,
        labels: labelsOf('operator'),
      },
      spec: {
        podSelector: { matchLabels: selectorOf('operator') },
        ingress: [{ ports: [{ protocol: 'TCP', port: 'webhook' }] }],
        policyTypes: ['Ingress'],
      },
    });
  });
}
