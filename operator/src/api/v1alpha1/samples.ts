import { API_VERSION, type AegisTenantSpecInput, KIND } from '@aegis/common';

/** The sample tenants in operator/config/samples/ (valid against the CRD and the zod schema). */
export interface SampleFile {
  file: string;
  objects: Record<string, unknown>[];
}

const tenant = (name: string, namespace: string, spec: AegisTenantSpecInput) => ({
  apiVersion: API_VERSION,
  kind: KIND,
  metadata: { name, namespace },
  spec,
});

export function sampleFiles(namespace = 'aegis'): SampleFile[] {
  return [
    {
      file: '00-namespace.yaml',
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }],
    },
    {
      file: 'acme.yaml',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'acme-admin', namespace },
          type: 'Opaque',
          // A sample password for a local cluster only; use your own Secret anywhere else.
          stringData: { password: 'change-me-acme-admin' },
        },
        tenant('acme', namespace, {
          tenantId: 'acme',
          displayName: 'Acme Energy',
          suspended: false,
          rateLimit: {
            requestsPerMinute: 100,
            burst: 10,
            tenantRequestsPerMinute: 6000,
            failurePolicy: 'LocalFallback',
            routes: [{ name: 'agent-runs', pathPrefix: '/api/v1/execute', requestsPerMinute: 20, burst: 5 }],
          },
          services: [
            'auth',
            'orchestration',
            'knowledge-graph',
            'approvals',
            'ingestion',
            'compliance-monitor',
            'flaring-monitor',
          ],
          config: { timezone: 'America/Chicago' },
          admin: { email: 'ops@acme.example', passwordSecretRef: { name: 'acme-admin', key: 'password' } },
        }),
      ],
    },
    {
      file: 'globex.yaml',
      objects: [
        tenant('globex', namespace, {
          displayName: 'Globex Midstream',
          rateLimit: { requestsPerMinute: 300, burst: 30, failurePolicy: 'Closed' },
          config: { timezone: 'America/Denver' },
        }),
      ],
    },
  ];
}
