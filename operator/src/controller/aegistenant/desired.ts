import {
  aegisTenantSchema,
  API_VERSION,
  type AegisTenantSpec,
  canonicalJson,
  CONFIG_HASH_ANNOTATION,
  configHash,
  GATEWAY_CONFIG_MAP,
  GATEWAY_TENANT_PIECES,
  type GatewayConfigDocument,
  KIND,
  tenantIdOf,
} from '@aegis/common';
import type { AegisTenantStatus } from '../../api/v1alpha1/status';
import type { ConfigMap, KubeObject } from '@aegis/kube';
import type { RoutesDocument } from './routes';

/** Pure: what the cluster should hold for the tenants. No I/O, no clocks, so the same input always
 * yields the same objects (and the operator writes nothing when nothing changed). */

export const FIELD_MANAGER = 'aegis-operator';
export const FINALIZER = 'aegis.io/finalizer';
/** Shared with the gateway, which annotates its replica Leases with the hash it runs. */
export { CONFIG_HASH_ANNOTATION };
export const TENANT_LABEL = 'aegis.io/tenant';
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_SELECTOR = `${MANAGED_BY}=${FIELD_MANAGER}`;
export const GATEWAY_LEASE_SELECTOR = 'app.kubernetes.io/name=aegis,app.kubernetes.io/component=gateway';

export interface TenantObject extends KubeObject {
  spec?: unknown;
  status?: AegisTenantStatus;
}

export type Evaluation =
  | { accepted: true; tenantId: string; spec: AegisTenantSpec }
  | { accepted: false; tenantId?: string; reason: 'InvalidSpec' | 'TenantIdConflict'; message: string };

export function componentLabels(component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'aegis',
    'app.kubernetes.io/part-of': 'aegis',
    'app.kubernetes.io/component': component,
    [MANAGED_BY]: FIELD_MANAGER,
  };
}

export const isDeleting = (t: KubeObject): boolean => Boolean(t.metadata.deletionTimestamp);

/** Validates one tenant with the shared zod schema (the API server has checked the CRD schema; this
 * also catches what only the operator can see). */
export function validateTenant(t: TenantObject): Evaluation {
  const parsed = aegisTenantSchema.safeParse({
    apiVersion: t.apiVersion ?? API_VERSION,
    kind: t.kind ?? KIND,
    metadata: t.metadata,
    spec: t.spec ?? {},
  });
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { accepted: false, reason: 'InvalidSpec', message };
  }
  return { accepted: true, tenantId: tenantIdOf(parsed.data), spec: parsed.data.spec };
}

/** Evaluates every tenant: valid specs are accepted, except that two live tenants may not claim one
 * tenant id (the oldest keeps it). */
export function evaluateTenants(tenants: readonly TenantObject[]): Map<string, Evaluation> {
  const out = new Map<string, Evaluation>();
  const byAge = [...tenants].sort(
    (a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  const owner = new Map<string, string>();
  for (const t of byAge) {
    const e = validateTenant(t);
    if (e.accepted && !isDeleting(t)) {
      const holder = owner.get(e.tenantId);
      if (holder !== undefined) {
        out.set(t.metadata.name, {
          accepted: false,
          tenantId: e.tenantId,
          reason: 'TenantIdConflict',
          message: `tenant id ${e.tenantId} is already used by AegisTenant ${holder}`,
        });
        continue;
      }
      owner.set(e.tenantId, t.metadata.name);
    }
    out.set(t.metadata.name, e);
  }
  return out;
}

/** The gateway configuration document (its schema is shared with the gateway, in @aegis/common). */
export type GatewayDocument = GatewayConfigDocument;
type TenantSpecAsStored = GatewayDocument['tenants'][number]['spec'];

/** A gateway configuration document: the route table and every accepted, live tenant's spec as
 * stored, sorted by name. The operator writes it with no tenants as the global ConfigMap (the tenants
 * travel in their own ConfigMaps, see tenantConfigMap); tests assemble the whole one. */
export function gatewayDocument(
  routes: RoutesDocument,
  tenants: readonly TenantObject[],
  evaluations: ReadonlyMap<string, Evaluation>,
): GatewayDocument {
  return {
    routes: routes.routes,
    services: routes.services,
    tenants: tenants
      .filter((t) => !isDeleting(t) && evaluations.get(t.metadata.name)?.accepted === true)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((t) => ({
        name: t.metadata.name,
        ...(t.metadata.generation !== undefined ? { generation: t.metadata.generation } : {}),
        // As stored, not with defaults applied; accepted means validateTenant parsed it with the schema
        // the gateway uses.
        spec: t.spec as TenantSpecAsStored,
      })),
  };
}

/** Indented JSON with sorted keys: deterministic, so an unchanged document is byte-for-byte equal. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}

export function gatewayConfigMap(
  name: string,
  namespace: string,
  document: GatewayDocument,
): { configMap: ConfigMap; hash: string } {
  const hash = configHash(document);
  return {
    hash,
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace,
        labels: componentLabels('gateway-config'),
        annotations: { [CONFIG_HASH_ANNOTATION]: hash },
      },
      data: { [GATEWAY_CONFIG_MAP.documentKey]: stableJson(document), [GATEWAY_CONFIG_MAP.hashKey]: hash },
    },
  };
}

export const tenantConfigMapName = (tenantId: string): string => `aegis-tenant-${tenantId}`;

/** The tenant's entry in the gateway configuration: its spec as stored, without `config` (free-form
 * settings for the services, which the gateway never reads and which would dominate the size). */
export function gatewayTenantEntry(tenant: TenantObject): GatewayDocument['tenants'][number] {
  const { config: _unused, ...spec } = (tenant.spec ?? {}) as TenantSpecAsStored & { config?: unknown };
  return {
    name: tenant.metadata.name,
    ...(tenant.metadata.generation !== undefined ? { generation: tenant.metadata.generation } : {}),
    spec,
  };
}

/** What the API server counts against a ConfigMap's 1 MiB: every data key and value, in bytes. */
export function configMapBytes(cm: ConfigMap): number {
  let total = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) total += Buffer.byteLength(k) + Buffer.byteLength(v);
  return total;
}

/**
 * The per-tenant ConfigMap, owned by the tenant (garbage-collected with it): the tenant's settings
 * for the services (tenant.json, config.json) and its compiled gateway entry (gateway.json), which
 * the gateways follow through the GATEWAY_TENANT_PIECES label. Annotated with the entry's hash and
 * the generation it carries, which the operator compares with what each gateway replica applied.
 */
export function tenantConfigMap(
  tenant: TenantObject,
  tenantId: string,
  spec: AegisTenantSpec,
  namespace: string,
): ConfigMap {
  const entry = gatewayTenantEntry(tenant);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: tenantConfigMapName(tenantId),
      namespace,
      labels: {
        ...componentLabels('tenant-config'),
        [TENANT_LABEL]: tenantId,
        [GATEWAY_TENANT_PIECES.label]: GATEWAY_TENANT_PIECES.value,
      },
      annotations: {
        [CONFIG_HASH_ANNOTATION]: configHash(entry),
        [GATEWAY_TENANT_PIECES.generationAnnotation]: String(tenant.metadata.generation ?? 0),
      },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: KIND,
          name: tenant.metadata.name,
          uid: tenant.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    data: {
      'tenant.json': stableJson({
        tenantId,
        name: tenant.metadata.name,
        displayName: spec.displayName,
        suspended: spec.suspended,
        services: spec.services,
        rateLimit: spec.rateLimit,
      }),
      'config.json': stableJson(spec.config),
      [GATEWAY_TENANT_PIECES.entryKey]: stableJson(entry),
    },
  };
}
