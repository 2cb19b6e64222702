import {
  ForbiddenError,
  isPlatformAdmin,
  listEnvelope,
  NotFoundError,
  parseBody,
  parseListParams,
  parseQuery,
  parseWith,
  requireRole,
  ROLES,
  type Store,
  type TokenVerifier,
} from '@aegis/common';
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Accounts } from '../accounts';
import { findUserAnyTenant, listUsers, USER_SORTABLE } from '../store/users';
import { authenticate, targetTenant } from './context';
import { userView } from './views';

export interface UserRouteDeps {
  accounts: Accounts;
  verifier: TokenVerifier;
  store: Store;
  now: () => number;
}

const password = z.string().min(8, { message: 'must have at least 8 characters' }).max(1024);
const displayName = z.string().trim().min(1).max(200).nullable();
const roles = z.array(z.enum(ROLES)).min(1, { message: 'must name at least one role' }).max(ROLES.length);
const tenantId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a lower-case slug' });

const createSchema = z.strictObject({
  email: z.email().max(320),
  password,
  display_name: displayName.optional(),
  roles: roles.default(['viewer']),
  tenant_id: tenantId.optional(),
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
  });

const filterSchema = z.object({
  tenant_id: tenantId.optional(),
  active: z.enum(['true', 'false']).optional(),
  role: z.enum(ROLES).optional(),
  email: z.string().min(1).max(320).optional(),
});

const tenantQuery = z.object({ tenant_id: tenantId.optional() });

/** User administration for admins, scoped to the admin's tenant (platform admins may name another). */
export function userRoutes(router: Router, deps: UserRouteDeps): void {
  const admin = async (ctx: Context) => {
    const identity = await authenticate(ctx, deps.verifier);
    requireRole(identity, 'admin');
    return identity;
  };

  router.get('/auth/users', async (ctx) => {
    ctx.state.route = 'GET /auth/users';
    const identity = await admin(ctx);
    const params = parseListParams(ctx.query, { sortable: USER_SORTABLE, defaultSort: 'created_at' });
    const { tenant_id, active, role, email } = parseQuery(ctx, filterSchema);
    const tenant = targetTenant(identity, tenant_id);
    const { users, total } = await listUsers(
      deps.store,
      { tenantId: tenant, active: active === undefined ? undefined : active === 'true', role, email },
      params,
    );
    ctx.body = listEnvelope(
      users.map((u) => userView(u, deps.now())),
      total,
      params,
    );
  });

  router.post('/auth/users', async (ctx) => {
    ctx.state.route = 'POST /auth/users';
    const identity = await admin(ctx);
    const body = parseBody(ctx, createSchema);
    const tenant = targetTenant(identity, body.tenant_id);
    const user = await deps.accounts.createUser({
      email: body.email,
      password: body.password,
      displayName: body.display_name ?? null,
      roles: body.roles,
      tenantId: tenant,
      active: body.active,
    });
    ctx.status = 201;
    ctx.set('Location', `/auth/users/${user.id}`);
    ctx.body = userView(user, deps.now());
  });

  router.patch('/auth/users/:id', async (ctx) => {
    ctx.state.route = 'PATCH /auth/users/{id}';
    const identity = await admin(ctx);
    const body = parseBody(ctx, patchSchema);
    const { tenant_id } = parseWith(tenantQuery, ctx.query, 'query');
    let tenant = targetTenant(identity, tenant_id);
    if (tenant_id === undefined && isPlatformAdmin(identity)) {
      // A platform admin may address any user by id.
      const found = await findUserAnyTenant(deps.store, ctx.params.id);
      if (!found) throw new NotFoundError('User not found', 'user_not_found');
      tenant = found.tenantId;
    }
    const user = await deps.accounts.updateUser(
      tenant,
      ctx.params.id,
      { displayName: body.display_name, roles: body.roles, active: body.active, password: body.password },
      identity.userId,
    );
    ctx.body = userView(user, deps.now());
  });

  router.post('/auth/keys/rotate', async (ctx) => {
    ctx.state.route = 'POST /auth/keys/rotate';
    const identity = await admin(ctx);
    if (!isPlatformAdmin(identity))
      throw new ForbiddenError('Only platform admins rotate signing keys', 'platform_admin_required');
    const result = await deps.accounts.rotateKeys();
    ctx.body = {
      kid: result.kid,
      activates_at: new Date(result.activatesAt).toISOString(),
      retired: result.retired.map((r) => ({ kid: r.kid, retires_at: new Date(r.retiresAt).toISOString() })),
    };
  });
}
