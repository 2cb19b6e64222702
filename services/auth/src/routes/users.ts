import {
  enumFilter,
  ForbiddenError,
  isPlatformAdmin,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  NotFoundError,
  resolveTenant,
  roleSchema,
  ROLES,
  SERVICE_ROLE,
  TENANT_ID_PATTERN,
  toListParams,
  type ServiceApi,
  type Store,
} from '@aegis/common';
import { z } from 'zod';
import type { Accounts } from '../accounts';
import { findUserAnyTenant, listUsers, USER_SORTABLE } from '../store/users';
import { rotationSchema, userSchema } from './schemas';
import { userView } from './views';

export interface UserRouteDeps {
  accounts: Accounts;
  store: Store;
  now: () => number;
}

const password = z.string().min(8, { message: 'must have at least 8 characters' }).max(1024);
const displayName = z.string().trim().min(1).max(200).nullable();
/** The roles a user may be given: every role but `service`, which only the client-credentials grant
 * mints (ADR 0019; the account tool refuses it too, in accounts.ts). */
const assignableRole = roleSchema.exclude([SERVICE_ROLE]).meta({
  id: 'AssignableRole',
  description: 'A role a user may hold: every `Role` but `service`, which belongs to internal services only.',
});
const roles = z
  .array(assignableRole)
  .min(1, { message: 'must name at least one role' })
  .max(ROLES.length - 1);
const tenantId = z.string().regex(TENANT_ID_PATTERN, { message: 'must be a lower-case slug' });

const createSchema = z.strictObject({
  email: z.email().max(320),
  password,
  display_name: displayName.optional(),
  roles: roles.default(['viewer']),
  tenant_id: tenantId.optional().describe('Another tenant than the caller’s (platform admins only)'),
  active: z.boolean().default(true),
});

const patchSchema = z
  .strictObject({
    display_name: displayName.optional(),
    roles: roles.optional(),
    active: z.boolean().optional(),
    password: password.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'must change at least one field',
  })
  // The document says so too.
  .meta({ minProperties: 1 });

const listOptions = { sortable: USER_SORTABLE, defaultSort: 'created_at' } as const;
const listQuery = listQuerySchema(listOptions).extend({
  active: enumFilter(['true', 'false']).optional(),
  role: enumFilter(ROLES).optional().describe('Users having this role'),
  email: z.string().min(1).max(320).optional(),
});

const userPath = z.object({ id: z.string().min(1) });
/** Declared so the handler knows whether a tenant was named (`authorize` has already checked it). */
const patchQuery = z.object({
  tenant_id: tenantId
    .optional()
    .describe('The user’s tenant; a platform admin who names none addresses any user by id'),
});

const tags = ['users'];

/** User administration for admins, scoped to the admin's tenant (platform admins may name another). */
export function userRoutes(api: ServiceApi, deps: UserRouteDeps): void {
  api.route({
    method: 'get',
    path: '/auth/users',
    summary: 'List the users of a tenant (admin)',
    tags,
    roles: ['admin'],
    query: listQuery,
    responses: { 200: listEnvelopeSchema(userSchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, listOptions);
      const { active, role, email } = query;
      const { users, total } = await listUsers(
        deps.store,
        { tenantId: tenant, active: active === undefined ? undefined : active === 'true', role, email },
        params,
      );
      return listEnvelope(
        users.map((u) => userView(u, deps.now())),
        total,
        params,
      );
    },
  });

  api.route({
    method: 'post',
    path: '/auth/users',
    summary: 'Create a user (admin)',
    description:
      'Only a platform admin (role `platform_admin`) grants `platform_admin` or names another tenant (403 `platform_admin_required`, 403 `cross_tenant`).',
    tags,
    roles: ['admin'],
    body: createSchema,
    responses: { 201: userSchema },
    errors: [409],
    handler: async (ctx, { body, identity, tenant }) => {
      const user = await deps.accounts.createUser(
        {
          email: body.email,
          password: body.password,
          displayName: body.display_name ?? null,
          roles: body.roles,
          tenantId: body.tenant_id === undefined ? tenant : resolveTenant(identity, body.tenant_id),
          active: body.active,
        },
        identity,
      );
      ctx.set('Location', `/auth/users/${user.id}`);
      return userView(user, deps.now());
    },
  });

  api.route({
    method: 'patch',
    path: '/auth/users/{id}',
    summary: 'Change roles, active flag, display name or password (admin)',
    description:
      'Deactivation, a role change and a password reset refuse the user’s older tokens at once. An admin cannot deactivate themselves or remove their own `admin` or `platform_admin` role (409). Only a platform admin grants `platform_admin` or changes a user who holds it (403 `platform_admin_required`).',
    tags,
    roles: ['admin'],
    params: userPath,
    query: patchQuery,
    body: patchSchema,
    responses: { 200: userSchema },
    errors: [404, 409],
    handler: async (_ctx, { params, query, body, identity, tenant }) => {
      let target = tenant;
      if (query.tenant_id === undefined && isPlatformAdmin(identity)) {
        // A platform admin may address any user by id.
        const found = await findUserAnyTenant(deps.store, params.id);
        if (!found) throw new NotFoundError('User not found', 'user_not_found');
        target = found.tenantId;
      }
      const user = await deps.accounts.updateUser(
        target,
        params.id,
        { displayName: body.display_name, roles: body.roles, active: body.active, password: body.password },
        identity,
      );
      return userView(user, deps.now());
    },
  });

  api.route({
    method: 'post',
    path: '/auth/keys/rotate',
    summary: 'Rotate the signing key (platform admin)',
    tags: ['keys'],
    roles: ['admin'],
    responses: { 200: rotationSchema },
    handler: async (_ctx, { identity }) => {
      if (!isPlatformAdmin(identity))
        throw new ForbiddenError('Only platform admins rotate signing keys', 'platform_admin_required');
      const result = await deps.accounts.rotateKeys();
      return {
        kid: result.kid,
        activates_at: new Date(result.activatesAt).toISOString(),
        retired: result.retired.map((r) => ({ kid: r.kid, retires_at: new Date(r.retiresAt).toISOString() })),
      };
    },
  });
}
