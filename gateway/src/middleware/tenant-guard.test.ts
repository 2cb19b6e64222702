import { AppError, type Identity, type Role, type ServiceName } from '@aegis/common';
import type { CompiledConfig } from '../config-source/document';
import type { TenantPolicy } from '../config-source/tenant-policy';
import type { RouteMatch } from '../routing/route-table';
import { tenantGuard } from './tenant-guard';

const policy = (tenantId: string, suspended = false, services: ServiceName[] = ['knowledge-graph']) =>
  ({ tenantId, suspended, services: new Set(services) }) as unknown as TenantPolicy;

const config = {
  tenants: new Map([
    ['default', policy('default')],
    ['acme', policy('acme')],
    ['off', policy('off', true)],
    ['bare', policy('bare', false, [])],
  ]),
} as unknown as CompiledConfig;
const match = { route: { service: 'knowledge-graph' } } as unknown as RouteMatch;

const who = (roles: Role[], tenantId: string) => ({ roles, tenantId }) as Identity;

/** Runs the guard; resolves to the error code it answered, or 'passed'. */
async function guard(identity: Identity | undefined, query: Record<string, string | string[]> = {}) {
  const ctx = { state: { identity, config, match }, query };
  try {
    let passed = false;
    await tenantGuard()(ctx as never, async () => {
      passed = true;
    });
    return passed ? 'passed' : 'stopped';
  } catch (err) {
    return err instanceof AppError ? `${err.status} ${err.code}` : String(err);
  }
}

describe('tenantGuard', () => {
  it('passes unauthenticated requests on (public routes are decided elsewhere)', async () => {
    expect(await guard(undefined)).toBe('passed');
  });

  it('refuses unknown and suspended tenants and services not enabled', async () => {
    expect(await guard(who(['viewer'], 'ghost'))).toBe('403 unknown_tenant');
    expect(await guard(who(['viewer'], 'off'))).toBe('403 tenant_suspended');
    expect(await guard(who(['viewer'], 'bare'))).toBe('403 service_not_enabled');
  });

  it('applies the cross-tenant rule: the token tenant only, unless a platform admin', async () => {
    expect(await guard(who(['viewer'], 'acme'), { tenant_id: 'acme' })).toBe('passed');
    expect(await guard(who(['viewer'], 'acme'), { tenant_id: ['acme', 'acme'] })).toBe('passed');
    expect(await guard(who(['viewer'], 'acme'), { tenant_id: 'default' })).toBe('403 cross_tenant');
    expect(await guard(who(['admin'], 'acme'), { tenant_id: 'default' })).toBe('403 cross_tenant');
    expect(await guard(who(['admin'], 'default'), { tenant_id: 'acme' })).toBe('403 cross_tenant');
    expect(await guard(who(['admin', 'platform_admin'], 'default'), { tenant_id: 'acme' })).toBe('passed');
    expect(await guard(who(['operator'], 'default'), { tenant_id: 'acme' })).toBe('403 cross_tenant');
  });

  it('refuses a platform admin naming two tenants at once (deliberate change: the gateway used to forward it)', async () => {
    expect(await guard(who(['admin', 'platform_admin'], 'default'), { tenant_id: ['acme', 'other'] })).toBe(
      '403 cross_tenant',
    );
  });
});
