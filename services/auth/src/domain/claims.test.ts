import { identityFromClaims, tokenClaimsSchema } from '@aegis/common';
import { buildClaims, cutoffAfter, waitForCutoffMs } from './claims';

describe('buildClaims', () => {
  const user = {
    id: 'u1',
    email: 'a@b.test',
    displayName: null,
    roles: ['admin' as const],
    tenantId: 'default',
  };

  it('carries every claim of spec §2 and passes the verifier schema', () => {
    const c = buildClaims(user, 1000, 86_400, 'j1');
    expect(c).toEqual({
      sub: 'u1',
      user_id: 'u1',
      email: 'a@b.test',
      display_name: null,
      roles: ['admin'],
      tenant_id: 'default',
      iss: 'aegis-auth',
      aud: 'aegis-api',
      iat: 1000,
      exp: 87_400,
      jti: 'j1',
    });
    expect(tokenClaimsSchema.safeParse(c).success).toBe(true);
    expect(identityFromClaims(c)).toMatchObject({
      userId: 'u1',
      roles: ['admin'],
      tenantId: 'default',
      jti: 'j1',
    });
  });
});

describe('cut-off', () => {
  it('refuses tokens issued in the second of the change and makes a login wait at most until the next second', () => {
    const changedAt = 1_700_000_000_400;
    const from = cutoffAfter(changedAt);
    expect(from).toBe(1_700_000_001);
    const iatSameSecond = Math.floor(changedAt / 1000);
    expect(iatSameSecond < from).toBe(true);
    expect(waitForCutoffMs(from, changedAt + 100)).toBe(500);
    expect(waitForCutoffMs(from, 1_700_000_001_000)).toBe(0);
    expect(waitForCutoffMs(null, changedAt)).toBe(0);
  });
});
