import { z } from 'zod';
import { aegisTenantSpecSchema, configHash, SERVICE_NAMES, type ServiceName } from '@aegis/common';
import { RouteTable, routeSchema } from '../routing/route-table';
import { compileTenant, type TenantPolicy } from './tenant-policy';

/** The gateway's configuration document: the route table, the service addresses and every tenant's
 * spec. Locally it is assembled from two files; on Kubernetes the operator writes it, compiled, into
 * one ConfigMap. Either way it is validated here before it is used. */
export const gatewayConfigDocumentSchema = z
  .object({
    routes: z.array(routeSchema).min(1).max(10_000),
    services: z.partialRecord(
      z.enum(SERVICE_NAMES),
      z.object({ url: z.url({ protocol: /^https?$/ }) }).strict(),
    ),
    tenants: z
      .array(
        z
          .object({
            name: z.string().min(1).max(63),
            generation: z.number().int().min(0).optional(),
            spec: aegisTenantSpecSchema,
          })
          .strict(),
      )
      .max(100_000),
  })
  .strict()
  .superRefine((doc, ctx) => {
    doc.routes.forEach((r, i) => {
      if (!doc.services[r.service]) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'service'],
          message: `no address for service ${r.service}`,
        });
      }
    });
  });

export type GatewayConfigDocument = z.input<typeof gatewayConfigDocumentSchema>;

export interface CompiledConfig {
  /** configHash of the document as delivered: what the gateway reports it runs. */
  hash: string;
  source: string;
  loadedAt: string;
  routes: RouteTable;
  services: ReadonlyMap<ServiceName, URL>;
  tenants: ReadonlyMap<string, TenantPolicy>;
}

export class ConfigValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid gateway configuration: ${issues.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Validates and compiles a document. Throws ConfigValidationError naming every bad field. */
export function compileConfig(input: unknown, source: string): CompiledConfig {
  const parsed = gatewayConfigDocumentSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigValidationError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const doc = parsed.data;
  let routes: RouteTable;
  try {
    routes = new RouteTable(doc.routes);
  } catch (err) {
    throw new ConfigValidationError([`routes: ${(err as Error).message}`]);
  }
  const tenants = new Map<string, TenantPolicy>();
  for (const t of doc.tenants) {
    const policy = compileTenant(t.name, t.spec, t.generation);
    if (tenants.has(policy.tenantId))
      throw new ConfigValidationError([`tenants: duplicate tenantId ${policy.tenantId}`]);
    tenants.set(policy.tenantId, policy);
  }
  const services = new Map<ServiceName, URL>();
  for (const [name, svc] of Object.entries(doc.services)) services.set(name as ServiceName, new URL(svc.url));
  return {
    // The hash of the document as delivered, so the operator (which wrote it) computes the same one.
    hash: configHash(input),
    source,
    loadedAt: new Date().toISOString(),
    routes,
    services,
    tenants,
  };
}
