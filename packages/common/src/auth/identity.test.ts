import { ForbiddenError } from '../errors';
import { isPlatformAdmin, mayActOnAnyTenant, requireRole } from './identity';

describe('requireRole', () => {
  it('lets every role read and only the named roles do more', () => {
    for (const role of ['viewer', 'operator', 'reviewer', 'admin', 'platform_admin'] as const) {
      expect(() => requireRole({ roles: [role] }, 'viewer')).not.toThrow();
    }
    expect(() => requireRole({ roles: ['viewer'] }, 'operator')).toThrow(ForbiddenError);
    expect(() => requireRole({ roles: ['reviewer'] }, 'operator')).toThrow(ForbiddenError);
    expect(() => requireRole({ roles: ['operator'] }, 'operator')).not.toThrow();
    expect(() => requireRole({ roles: ['admin'] }, 'reviewer')).not.toThrow();
    expect(() => requireRole({ roles: [] }, 'viewer')).toThrow(ForbiddenError);
  });

  it('lets a platform admin pass every role check', () => {
    for (const role of ['viewer', 'operator', 'reviewer', 'admin', 'platform_admin'] as const) {
      expect(() => requireRole({ roles: ['platform_admin'] }, role)).not.toThrow();
    }
  });
});

describe('requireRole for an internal service token (ADR 0019)', () => {
  const service = { roles: ['service' as const] };

  it('passes the checks an operator passes', () => {
    expect(() => requireRole(service, 'viewer')).not.toThrow();
    expect(() => requireRole(service, 'operator')).not.toThrow();
    expect(() => requireRole(service, 'reviewer', 'operator')).not.toThrow();
    expect(() => requireRole(service, 'service')).not.toThrow();
  });

  it('fails every check an operator fails: admin-only, platform-admin-only and reviewer-only', () => {
    for (const roles of [['admin'], ['platform_admin'], ['reviewer']] as const) {
      let caught: unknown;
      try {
        requireRole(service, ...roles);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ForbiddenError);
      expect(caught).toMatchObject({ status: 403, code: 'insufficient_role' });
    }
  });
});

describe('mayActOnAnyTenant', () => {
  it('is a platform admin or an internal service, never a tenant admin', () => {
    expect(mayActOnAnyTenant({ roles: ['platform_admin'] })).toBe(true);
    expect(mayActOnAnyTenant({ roles: ['service'] })).toBe(true);
    expect(mayActOnAnyTenant({ roles: ['admin'] })).toBe(false);
    expect(mayActOnAnyTenant({ roles: ['operator'] })).toBe(false);
  });
});

describe('isPlatformAdmin', () => {
  it('is the platform_admin role, not being an admin of the default tenant', () => {
    expect(isPlatformAdmin({ roles: ['admin', 'platform_admin'] })).toBe(true);
    expect(isPlatformAdmin({ roles: ['platform_admin'] })).toBe(true);
    expect(isPlatformAdmin({ roles: ['admin'] })).toBe(false);
    expect(isPlatformAdmin({ roles: ['operator'] })).toBe(false);
    expect(isPlatformAdmin({ roles: ['service'] })).toBe(false);
  });
});
