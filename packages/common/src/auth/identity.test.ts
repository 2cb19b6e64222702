import { ForbiddenError } from '../errors';
import { isPlatformAdmin, requireRole } from './identity';

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

describe('isPlatformAdmin', () => {
  it('is the platform_admin role, not being an admin of the default tenant', () => {
    expect(isPlatformAdmin({ roles: ['admin', 'platform_admin'] })).toBe(true);
    expect(isPlatformAdmin({ roles: ['platform_admin'] })).toBe(true);
    expect(isPlatformAdmin({ roles: ['admin'] })).toBe(false);
    expect(isPlatformAdmin({ roles: ['operator'] })).toBe(false);
  });
});
