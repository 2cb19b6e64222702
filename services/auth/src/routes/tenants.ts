import {
  ForbiddenError,
  isPlatformAdmin,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  SERVICE_ROLE,
  toListParams,
  type ServiceApi,
  type Store,
} from '@aegis/common';
import { z } from 'zod';
import { listTenants } from '../store/users';

export interface TenantRouteDeps {
  store: Store;
}

const listOptions = { sortable: ['tenant_id'], defaultSort: 'tenant_id' } as const;

const tenantSchema = z.object({ tenant_id: z.string() }).meta({ id: 'Tenant' });

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
}
