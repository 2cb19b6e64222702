import { ForbiddenError } from '../errors';
import { resolveTenant } from './access';

const operator = { roles: ['operator' as const], tenantId: 'acme' };
const platformAdmin = { roles: ['admin' as const, 'platform_admin' as const], tenantId: 'default' };
const tenantAdmin = { roles: ['admin' as const], tenantId: 'acme' };
const defaultAdmin = { roles: ['admin' as const], tenantId: 'default' };
const service = { roles: ['service' as const], tenantId: 'default' };

describe('resolveTenant', () => {
  it('acts on the token tenant when no tenant_id is given', () => {
    expect(resolveTenant(operator, undefined)).toBe('acme');
  });

  it('accepts tenant_id naming the token tenant', () => {
    expect(resolveTenant(operator, 'acme')).toBe('acme');
    expect(resolveTenant(operator, ['acme', 'acme'])).toBe('acme');
  });

  it('refuses another tenant with 403 cross_tenant, even for a tenant admin (of default too)', () => {
    for (const who of [operator, tenantAdmin, defaultAdmin]) {
      let caught: unknown;
      try {
        resolveTenant(who, 'other');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ForbiddenError);
      expect((caught as ForbiddenError).code).toBe('cross_tenant');
    }
    expect(() => resolveTenant(operator, ['acme', 'other'])).toThrow(ForbiddenError);
  });

  it('lets a platform admin act on one other tenant', () => {
    expect(resolveTenant(platformAdmin, 'acme')).toBe('acme');
    expect(() => resolveTenant(platformAdmin, ['acme', 'other'])).toThrow(ForbiddenError);
  });

  it('lets an internal service token act on one other tenant, as a platform admin does (ADR 0019)', () => {
    expect(resolveTenant(service, undefined)).toBe('default');
    expect(resolveTenant(service, 'acme')).toBe('acme');
    expect(() => resolveTenant(service, ['acme', 'other'])).toThrow(ForbiddenError);
  });
});
