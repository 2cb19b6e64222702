import { z } from 'zod';
import { SERVICE_NAMES } from '../registry';

/** The AegisTenant custom resource (group aegis.io, version v1alpha1), spec/kubernetes.md. This is the
 * one TypeScript source of the tenant shape: the gateway's tenant file uses it, and the operator's CRD is
 * generated from it. Every field carries a description (used for the CRD schema). */

export const GROUP = 'aegis.io';
export const VERSION = 'v1alpha1';
export const KIND = 'AegisTenant';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const FAILURE_POLICIES = ['Open', 'Closed', 'LocalFallback'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PATH_PREFIX = /^\/api\/v[0-9]+(\/[A-Za-z0-9._~-]+)*\/?$/;

export const routeQuotaSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(DNS_LABEL, 'must be a lowercase DNS label')
      .describe('Name of the override, unique within the tenant; used in rate-limit headers and metrics.'),
    pathPrefix: z
      .string()
      .max(256)
      .regex(PATH_PREFIX, 'must be a public API path such as /api/v1/execute')
      .describe('Public path prefix (segment-aware) the override applies to; the most specific prefix wins.'),
    requestsPerMinute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .describe('Requests per minute per identity on this route.'),
    burst: z.number().int().min(1).max(100_000).describe('Token-bucket capacity per identity on this route.'),
  })
  .strict()
  .refine((r) => r.burst <= r.requestsPerMinute, {
    message: 'burst must not exceed requestsPerMinute',
    path: ['burst'],
  });

export const rateLimitSchema = z
  .object({
    requestsPerMinute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(100)
      .describe('Requests per minute per authenticated identity within the tenant.'),
    burst: z.number().int().min(1).max(100_000).default(10).describe('Token-bucket capacity per identity.'),
    tenantRequestsPerMinute: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .optional()
      .describe('Optional ceiling for the whole tenant, all identities together.'),
    failurePolicy: z
      .enum(FAILURE_POLICIES)
      .default('LocalFallback')
      .describe('What the gateway does when the shared rate-limit store is unreachable.'),
    routes: z
      .array(routeQuotaSchema)
      .max(50)
      .default([])
      .describe('Per-route overrides of the identity quota; the most specific prefix wins.'),
  })
  .strict()
  .refine((r) => r.burst <= r.requestsPerMinute, {
    message: 'burst must not exceed requestsPerMinute',
    path: ['burst'],
  })
  .refine((r) => new Set(r.routes.map((x) => x.name)).size === r.routes.length, {
    message: 'route names must be unique',
    path: ['routes'],
  });

export const secretKeyRefSchema = z
  .object({
    name: z.string().min(1).max(253).describe('Name of the Secret in the tenant resource namespace.'),
    key: z.string().min(1).max(253).describe('Key within the Secret.'),
  })
  .strict();

export const tenantAdminSchema = z
  .object({
    email: z.string().max(254).email().describe('Email of the tenant bootstrap administrator.'),
    passwordSecretRef: secretKeyRefSchema.describe('Secret key holding the initial password.'),
  })
  .strict();

export const aegisTenantSpecSchema = z
  .object({
    tenantId: z
      .string()
      .min(1)
      .max(63)
      .regex(DNS_LABEL, 'must be a lowercase DNS label')
      .optional()
      .describe('Tenant identifier carried in tokens; defaults to metadata.name; immutable once set.'),
    displayName: z.string().max(256).optional().describe('Human-readable tenant name.'),
    suspended: z.boolean().default(false).describe('When true the gateway answers 403 tenant_suspended.'),
    rateLimit: rateLimitSchema
      .default({
        requestsPerMinute: 100,
        burst: 10,
        failurePolicy: 'LocalFallback',
        routes: [],
      })
      .describe('Rate-limit quotas for the tenant.'),
    services: z
      .array(z.enum(SERVICE_NAMES))
      .max(SERVICE_NAMES.length)
      .refine((s) => new Set(s).size === s.length, { message: 'must not name a service twice' })
      .default([...SERVICE_NAMES])
      .describe('Services the tenant may reach through the gateway.'),
    config: z
      .record(z.string().max(253), z.string().max(4096))
      .refine((c) => Object.keys(c).length <= 64, { message: 'must have at most 64 entries' })
      .default({})
      .describe('Free-form settings handed to the services for this tenant.'),
    admin: tenantAdminSchema.optional().describe('Bootstrap administrator created for the tenant.'),
  })
  .strict();

export type AegisTenantSpec = z.infer<typeof aegisTenantSpecSchema>;
export type AegisTenantSpecInput = z.input<typeof aegisTenantSpecSchema>;

export const aegisTenantSchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(KIND),
  metadata: z
    .object({
      name: z.string().min(1).max(63).regex(DNS_LABEL, 'must be a lowercase DNS label'),
      namespace: z.string().optional(),
      generation: z.number().int().optional(),
    })
    .passthrough(),
  spec: aegisTenantSpecSchema,
});

export type AegisTenant = z.infer<typeof aegisTenantSchema>;

/** The tenant id a resource stands for: spec.tenantId, or metadata.name when unset. */
export function tenantIdOf(tenant: Pick<AegisTenant, 'metadata' | 'spec'>): string {
  return tenant.spec.tenantId ?? tenant.metadata.name;
}
