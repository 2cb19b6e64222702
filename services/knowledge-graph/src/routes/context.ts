import {
  ForbiddenError,
  isPlatformAdmin,
  missingTokenError,
  parseWith,
  requireRole,
  tokenFromRequest,
  ValidationError,
  type Identity,
  type Role,
  type Store,
  type TokenVerifier,
} from '@aegis/common';
import type { Context } from 'koa';
import { z } from 'zod';
import { isoDate } from '../domain/dates';
import { isLabel, type Label } from '../domain/labels';

export interface RouteDeps {
  store: Store;
  verifier: TokenVerifier;
  now: () => number;
}

export interface Caller {
  identity: Identity;
  /** The tenant every query of this request is scoped to. */
  tenant: string;
}

/** Roles are cumulative for reads: every role may read; writes need the role itself (admin passes all). */
const ACCEPTED: Record<'viewer' | 'operator' | 'admin', Role[]> = {
  viewer: ['viewer', 'operator', 'reviewer'],
  operator: ['operator'],
  admin: ['admin'],
};

const tenantQuery = z
  .object({
    tenant_id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .optional(),
  })
  .loose();

/**
 * Verifies the request's token (never the gateway's identity headers) and checks the role. The tenant
 * is the token's; a different `tenant_id` query parameter is a 403 unless the caller is a platform
 * admin (spec §3).
 */
export async function caller(
  ctx: Context,
  deps: RouteDeps,
  role: 'viewer' | 'operator' | 'admin',
): Promise<Caller> {
  const token = tokenFromRequest(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
  if (token === undefined) throw missingTokenError();
  const identity = await deps.verifier.verify(token);
  ctx.state.identity = identity;
  requireRole(identity, ...ACCEPTED[role]);
  const { tenant_id } = parseWith(tenantQuery, ctx.query, 'query');
  let tenant = identity.tenantId;
  if (tenant_id !== undefined && tenant_id !== identity.tenantId) {
    if (!isPlatformAdmin(identity)) throw new ForbiddenError('Cannot act on another tenant', 'cross_tenant');
    tenant = tenant_id;
  }
  ctx.state.tenant = tenant;
  return { identity, tenant };
}

export function pathLabel(value: string): Label {
  if (!isLabel(value)) throw ValidationError.single(['path', 'label'], 'must be an entity label', 'enum');
  return value;
}

export const nowIso = (deps: RouteDeps) => new Date(deps.now()).toISOString();
export const today = (deps: RouteDeps) => isoDate(deps.now());

/** Query parameters that are list controls, not property filters. */
export const LIST_KEYS = new Set([
  'page',
  'page_size',
  'limit',
  'offset',
  'sort_by',
  'sort_dir',
  'sort_order',
  'tenant_id',
]);
