import { z } from 'zod';
import { DEPLOYED_SERVICES } from './names';
import { NOT_PROGRAMMED_MINUTES } from './observability/rules';

/** The settings of an installation. They are the Helm chart's values (charts/aegis/values.yaml is
 * generated from these defaults) and the input of the plain-manifest synthesis. */

const quantityMap = z.record(z.string(), z.string());
const resourcesSchema = z
  .object({ requests: quantityMap.optional(), limits: quantityMap.optional() })
  .strict()
  .describe('Container resources (Kubernetes ResourceRequirements).');

const resources = (cpu: string, memory: string, memoryLimit: string) => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/** Replicas and resources of one backend service. */
const serviceSettingsSchema = z
  .object({
    replicas: z.number().int().min(0).default(2),
    resources: resourcesSchema.default(resources('100m', '128Mi', '512Mi')),
  })
  .strict()
  .prefault({});

const toleration = z
  .object({
    key: z.string().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.string().optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .strict();

export const valuesObjectSchema = z
  .object({
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .default('aegis')
      .describe('Namespace of the plain manifests. The Helm chart installs into the release namespace.'),
    image: z
      .object({
        registry: z.string().default('ghcr.io/aegis-platform'),
        repository: z.string().min(1).default('aegis'),
        tag: z.string().min(1).default('0.1.0'),
        pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
      })
      .strict()
      .prefault({})
      .describe('The one image of every component; the command picks the component.'),
    imagePullSecrets: z.array(z.object({ name: z.string() }).strict()).default([]),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    replicas: z
      .object({
        gateway: z.number().int().min(0).default(2),
        operator: z.number().int().min(0).default(2),
      })
      .strict()
      .prefault({})
      .describe('Replicas of the gateway and the operator (leader-elected); services: see `services`.'),
    resources: z
      .object({
        gateway: resourcesSchema.default(resources('100m', '128Mi', '512Mi')),
        operator: resourcesSchema.default(resources('50m', '96Mi', '256Mi')),
        redis: resourcesSchema.default(resources('50m', '64Mi', '256Mi')),
        postgresql: resourcesSchema.default(resources('100m', '256Mi', '1Gi')),
      })
      .strict()
      .prefault({}),
    services: z
      .object(Object.fromEntries(DEPLOYED_SERVICES.map((s) => [s.name, serviceSettingsSchema])))
      .strict()
      .prefault({})
      .describe('Replicas and resources of each backend service (the implemented ones of the registry).'),
    secrets: z
      .object({
        name: z
          .string()
          .min(1)
          .default('aegis-secrets')
          .describe(
            'Existing Secret with bootstrap-admin-password, signing-key-encryption-key (optional), ' +
              'audit-key-encryption-key (optional) and, ' +
              'for the bundled PostgreSQL, postgres-password.',
          ),
      })
      .strict()
      .prefault({}),
    serviceCredentials: z
      .object({
        existingSecret: z
          .string()
          .default('')
          .describe(
            'Secret whose key service-client-secret holds SERVICE_CLIENT_SECRET (ADR 0019); empty: the Helm ' +
              'chart creates aegis-service-credentials with a random one and keeps it across upgrades ' +
              '(plain manifests: create it yourself, see docs/kubernetes.md).',
          ),
      })
      .strict()
      .prefault({})
      .describe('The internal services’ client-credentials secret, shared by auth and every service.'),
    auth: z
      .object({
        bootstrapAdminEmail: z
          .email()
          .default('admin@aegis.local')
          .describe('Platform administrator created by the auth service; the operator logs in as it.'),
      })
      .strict()
      .prefault({}),
    redis: z
      .object({
        enabled: z.boolean().default(true).describe('Run a Redis in the namespace (self-contained install).'),
        url: z.string().default('').describe('External Redis URL, used when enabled is false.'),
        image: z.string().default('redis:7.4-bookworm'),
      })
      .strict()
      .prefault({}),
    postgresql: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe('Run a PostgreSQL in the namespace (self-contained install).'),
        url: z.string().default('').describe('External PostgreSQL URL, used when enabled is false.'),
        image: z.string().default('postgres:16-bookworm'),
        persistence: z
          .object({
            enabled: z.boolean().default(true),
            size: z.string().default('8Gi'),
            storageClass: z.string().default(''),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    ingress: z
      .object({
        enabled: z.boolean().default(false),
        className: z.string().default(''),
        host: z
          .string()
          .default('')
          .describe('Host name of the Ingress rule; required when enabled (no default host).'),
        annotations: z.record(z.string(), z.string()).default({}),
        tls: z.array(z.object({ secretName: z.string(), hosts: z.array(z.string()) }).strict()).default([]),
      })
      .strict()
      .prefault({})
      .describe('An Ingress for the gateway, the only component reachable from outside the namespace.'),
    admissionWebhook: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'Helm only: a certificate (generated at install, kept on upgrade) and a ValidatingWebhookConfiguration ' +
              'so the operator refuses a duplicate spec.tenantId at kubectl apply.',
          ),
      })
      .strict()
      .prefault({})
      .describe('The operator’s admission webhook (tenant id collisions, docs/kubernetes.md).'),
    observability: z
      .object({
        serviceMonitor: z
          .object({
            enabled: z
              .boolean()
              .default(false)
              .describe('A ServiceMonitor (Prometheus Operator) for every component’s admin port /metrics.'),
            interval: z
              .string()
              .regex(/^[0-9]+(ms|s|m)$/)
              .default('30s'),
            labels: z
              .record(z.string(), z.string())
              .default({})
              .describe('Extra labels, e.g. the release label your Prometheus selects.'),
            from: z
              .array(z.record(z.string(), z.unknown()))
              .default([{ namespaceSelector: {} }])
              .describe(
                'NetworkPolicy peers allowed to scrape the admin ports (default: every namespace); the ' +
                  'admin ports are otherwise closed to pods outside the platform.',
              ),
          })
          .strict()
          .prefault({}),
        prometheusRule: z
          .object({
            enabled: z
              .boolean()
              .default(false)
              .describe('A PrometheusRule with the platform’s alerts (docs/kubernetes.md).'),
            labels: z.record(z.string(), z.string()).default({}),
            notProgrammedMinutes: z
              .number()
              .int()
              .min(1)
              .max(1440)
              .default(NOT_PROGRAMMED_MINUTES)
              .describe('Minutes a tenant may stay not Programmed before AegisTenantsNotProgrammed fires.'),
          })
          .strict()
          .prefault({}),
        grafanaDashboard: z
          .object({
            enabled: z
              .boolean()
              .default(false)
              .describe('A ConfigMap holding the Grafana dashboard JSON (for the Grafana sidecar).'),
            labels: z
              .record(z.string(), z.string())
              .default({ grafana_dashboard: '1' })
              .describe('Labels the Grafana dashboard sidecar looks for.'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({})
      .describe('Opt-in monitoring: ServiceMonitor, PrometheusRule and a Grafana dashboard.'),
    scheduling: z
      .object({
        nodeSelector: z.record(z.string(), z.string()).default({}),
        tolerations: z.array(toleration).default([]),
      })
      .strict()
      .prefault({})
      .describe('Placed on every pod (for example to pin the platform to a node pool).'),
  })
  .strict();

/** The values, with the cross-field rules (an external URL when the bundled store is off). */
export const valuesSchema = valuesObjectSchema.superRefine((v, ctx) => {
  if (!v.redis.enabled && !v.redis.url)
    ctx.addIssue({ code: 'custom', path: ['redis', 'url'], message: 'required when redis.enabled is false' });
  if (v.ingress.enabled && !v.ingress.host)
    ctx.addIssue({
      code: 'custom',
      path: ['ingress', 'host'],
      message: 'required when ingress.enabled is true',
    });
  if (!v.postgresql.enabled && !v.postgresql.url)
    ctx.addIssue({
      code: 'custom',
      path: ['postgresql', 'url'],
      message: 'required when postgresql.enabled is false',
    });
});

export type Values = z.infer<typeof valuesSchema>;
export type ValuesInput = z.input<typeof valuesSchema>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's coalescing of user values onto the chart defaults: maps merge key by key, anything else
 * (lists included) replaces. Pure. */
export function mergeValues(defaults: unknown, input: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(input)) return input === undefined ? defaults : input;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(input)) out[key] = mergeValues(defaults[key], value);
  return out;
}

/**
 * Values with every default filled in, merged the way Helm merges a values file onto values.yaml (so
 * the chart and the plain manifests agree); throws a readable error naming the bad field.
 */
export function resolveValues(input: ValuesInput = {}): Values {
  const defaults = valuesSchema.parse({});
  const parsed = valuesSchema.safeParse(mergeValues(defaults, input));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid values:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
