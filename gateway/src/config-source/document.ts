import { createHash } from 'node:crypto';
import {
  canonicalJson,
  describeIssues,
  gatewayDocumentShellSchema,
  gatewayTenantEntrySchema,
  type ServiceName,
} from '@aegis/common';
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

/** What compiling one tenant entry produced, remembered per entry object: a document assembled from
 * per-tenant pieces reuses the same entry objects, so only changed tenants are parsed again. */
export type EntryCache = WeakMap<object, { canonical: string; policy?: TenantPolicy; issues?: string[] }>;

/**
 * Validates and compiles a document. Throws ConfigValidationError naming every bad field. With a
 * cache (the ConfigHolder keeps one), unchanged tenant entries are neither parsed nor serialised
 * again, so a change costs time proportional to what changed plus one hash over the pieces.
 */
export function compileConfig(
  input: unknown,
  source: string,
  cache: EntryCache = new WeakMap(),
): CompiledConfig {
  const shell = gatewayDocumentShellSchema.safeParse(input);
  if (!shell.success) {
    throw new ConfigValidationError(describeIssues(shell.error));
  }
  const doc = shell.data;
  const raw = input as { routes: unknown; services: unknown; tenants: unknown[] };
  const issues: string[] = [];
  const compiled: TenantPolicy[] = [];
  const canonical: string[] = [];
  raw.tenants.forEach((entry, i) => {
    let known = entry !== null && typeof entry === 'object' ? cache.get(entry) : undefined;
    if (!known) {
      const parsed = gatewayTenantEntrySchema.safeParse(entry);
      known = parsed.success
        ? {
            canonical: canonicalJson(entry),
            policy: compileTenant(parsed.data.name, parsed.data.spec, parsed.data.generation),
          }
        : { canonical: '', issues: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`) };
      if (entry !== null && typeof entry === 'object') cache.set(entry, known);
    }
    if (known.issues) issues.push(...known.issues.map((x) => `tenants.${i}.${x}`));
    else {
      compiled.push(known.policy!);
      canonical.push(known.canonical);
    }
  });
  if (issues.length > 0) throw new ConfigValidationError(issues);
  let routes: RouteTable;
  try {
    routes = new RouteTable(doc.routes);
  } catch (err) {
    throw new ConfigValidationError([`routes: ${(err as Error).message}`]);
  }
  const tenants = new Map<string, TenantPolicy>();
  for (const policy of compiled) {
    if (tenants.has(policy.tenantId))
      throw new ConfigValidationError([`tenants: duplicate tenantId ${policy.tenantId}`]);
    tenants.set(policy.tenantId, policy);
  }
  const services = new Map<ServiceName, URL>();
  for (const [name, svc] of Object.entries(doc.services))
    if (svc) services.set(name as ServiceName, new URL(svc.url));
  // configHash of the document as delivered (the operator computes the same one): the canonical JSON
  // of {routes, services, tenants} (the shell is strict, so these are its only keys), with each
  // entry's canonical form taken from the cache.
  const text = `{"routes":${canonicalJson(raw.routes)},"services":${canonicalJson(raw.services)},"tenants":[${canonical.join(',')}]}`;
  return {
    hash: createHash('sha256').update(text).digest('hex'),
    source,
    loadedAt: new Date().toISOString(),
    routes,
    services,
    tenants,
  };
}
