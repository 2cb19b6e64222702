import {
  type Identity,
  ConflictError,
  ForbiddenError,
  isPlatformAdmin,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  PLATFORM_TENANT,
  SERVICE_ROLE,
  TENANT_ID_PATTERN,
  toListParams,
  type ServiceApi,
  type Store,
} from '@aegis/common';
import { z } from 'zod';
import { findTenantState, writeTenantState, type TenantStateRecord } from '../store/tenant-states';
import { listTenants } from '../store/users';
import type { TenantStates } from '../tenant-states';

export interface TenantRouteDeps {
  store: Store;
  tenantStates: TenantStates;
  now: () => number;
}

const listOptions = { sortable: ['tenant_id'], defaultSort: 'tenant_id' } as const;

const tenantSchema = z.object({ tenant_id: z.string() }).meta({ id: 'Tenant' });

const tenantPath = z.object({
  tenant_id: z.string().regex(TENANT_ID_PATTERN, { message: 'must be a lower-case slug' }),
});
const tenantStateSchema = z
  .object({
    tenant_id: z.string(),
    suspended: z.boolean().describe('Whether the tenant is suspended (reported or in the local tenant file)'),
    reported_suspended: z.boolean().describe('The state last reported through this endpoint'),
    updated_at: z.string().nullable().describe('When the reported state last changed; null: never reported'),
  })
  .meta({ id: 'TenantState' });
const tenantStateInput = z.strictObject({
  suspended: z.boolean().describe('true: the tenant’s users get no tokens and their tokens stop working'),
});

/** Only platform admins see or change tenant state (the operator logs in as one). */
function requirePlatformAdmin(identity: Identity): void {
  if (!isPlatformAdmin(identity))
    throw new ForbiddenError('Only platform admins manage tenant state', 'platform_admin_required');
}

/** The tenants, for platform admins and for internal services whose scheduled work runs per tenant
 * (ADR 0019). */
export function tenantRoutes(api: ServiceApi, deps: TenantRouteDeps): void {
  api.route({
    method: 'get',
    path: '/auth/tenants',
    summary: 'List the tenants that have users (platform admin or internal service)',
    description:
      'Every onboarded tenant has at least its admin. A tenant admin gets 403 `platform_admin_required`.',
    tags: ['tenants'],
    roles: ['platform_admin', 'service'],
    query: listQuerySchema(listOptions),
    responses: { 200: listEnvelopeSchema(tenantSchema) },
    handler: async (_ctx, { identity, query }) => {
      // `admin` passes every role check; listing every tenant is for these two only.
      if (!isPlatformAdmin(identity) && !identity.roles.includes(SERVICE_ROLE))
        throw new ForbiddenError('Only platform admins and services list tenants', 'platform_admin_required');
      const params = toListParams(query, listOptions);
      const { tenants, total } = await listTenants(deps.store, params);
      return listEnvelope(
        tenants.map((tenant_id) => ({ tenant_id })),
        total,
        params,
      );
    },
  });

  const stateView = async (r: TenantStateRecord) => ({
    tenant_id: r.tenantId,
    suspended: await deps.tenantStates.isSuspended(r.tenantId),
    reported_suspended: r.suspended,
    updated_at: r.updatedAt === null ? null : new Date(r.updatedAt).toISOString(),
  });

  api.route({
    method: 'get',
    path: '/auth/tenants/{tenant_id}/state',
    summary: 'Whether a tenant is suspended (platform admin)',
    tags: ['tenants'],
    roles: ['admin'],
    params: tenantPath,
    responses: { 200: tenantStateSchema },
    handler: async (_ctx, { identity, params }) => {
      requirePlatformAdmin(identity);
      return stateView(await findTenantState(deps.store, params.tenant_id));
    },
  });

  api.route({
    method: 'put',
    path: '/auth/tenants/{tenant_id}/state',
    summary: 'Report whether a tenant is suspended (platform admin; the operator calls it)',
    description:
      'While a tenant is suspended (here or in the local tenant file), its users’ right password answers 403 `tenant_suspended` on POST /auth/token and their tokens answer 403 `tenant_suspended` on every auth route, as the gateway answers on every other route. Idempotent. The platform tenant (`default`, where platform admins live) cannot be suspended: 409 `platform_tenant`.',
    tags: ['tenants'],
    roles: ['admin'],
    params: tenantPath,
    body: tenantStateInput,
    responses: { 200: tenantStateSchema },
    errors: [409],
    handler: async (_ctx, { identity, params, body }) => {
      requirePlatformAdmin(identity);
      // Suspending it would lock out every platform admin, the operator included.
      if (params.tenant_id === PLATFORM_TENANT && body.suspended)
        throw new ConflictError(
          `The platform tenant ${PLATFORM_TENANT} cannot be suspended`,
          'platform_tenant',
        );
      return stateView(await writeTenantState(deps.store, params.tenant_id, body.suspended, deps.now()));
    },
  });
}
