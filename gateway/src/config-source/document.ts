import { configHash, describeIssues, gatewayConfigDocumentSchema, type ServiceName } from '@aegis/common';
import { RouteTable } from '../routing/route-table';
import { compileTenant, type TenantPolicy } from './tenant-policy';

/** The gateway's configuration document: the route table, the service addresses and every tenant's
 * spec. Locally it is assembled from two files; on Kubernetes the operator writes it, compiled, into
 * one ConfigMap. Either way it is validated here, with the schema the operator writes it with
 * (@aegis/common), before it is used. */
export { gatewayConfigDocumentSchema, type GatewayConfigDocument } from '@aegis/common';

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
    throw new ConfigValidationError(describeIssues(parsed.error));
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
  for (const [name, svc] of Object.entries(doc.services))
    if (svc) services.set(name as ServiceName, new URL(svc.url));
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
