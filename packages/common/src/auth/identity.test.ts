import { ForbiddenError } from '../errors';
import { isPlatformAdmin, requireRole } from './identity';

describe('requireRole', () => {
  it('lets every role read and only the named roles do more', () => {
    for (const role of ['viewer', 'operator', 'reviewer', 'admin'] as const) {
      expect(() => requireRole({ roles: [role] }, 'viewer')).not.toThrow();
    }
    expect(() => requireRole({ roles: ['viewer'] }, 'operator')).toThrow(ForbiddenError);
    expect(() => requireRole({ roles: ['reviewer'] }, 'operator')).toThrow(ForbiddenError);
    expect(() => requireRole({ roles: ['operator'] }, 'operator')).not.toThrow();
    expect(() => requireRole({ roles: ['admin'] }, 'reviewer')).not.toThrow();
    expect(() => requireRole({ roles: [] }, 'viewer')).toThrow(ForbiddenError);
  });

  it('treats only admins of the default tenant as platform admins', () => {
    expect(isPlatformAdmin({ roles: ['admin'], tenantId: 'default' })).toBe(true);
    expect(isPlatformAdmin({ roles: ['admin'], tenantId: 'acme' })).toBe(false);
    expect(isPlatformAdmin({ roles: ['operator'], tenantId: 'default' })).toBe(false);
  });
});
