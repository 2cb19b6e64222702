import type { TenantObject } from '../controller/aegistenant/desired';
import { type AdmissionRequest, reviewTenant } from './admission';

const tenant = (name: string, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisTenant',
    metadata: { name, namespace: 'aegis', creationTimestamp: '2026-01-01T00:00:00Z', ...extra },
    spec,
  }) as TenantObject;

const create = (object: unknown): AdmissionRequest => ({ uid: 'u1', operation: 'CREATE', object });

describe('reviewTenant', () => {
  const acme = tenant('acme');

  it('refuses a new tenant claiming a tenant id another tenant holds, naming both', () => {
    expect(reviewTenant(create(tenant('acme-copy', { tenantId: 'acme' })), [acme])).toEqual({
      uid: 'u1',
      allowed: false,
      status: {
        code: 409,
        reason: 'Conflict',
        message: 'tenant id acme is already used by AegisTenant acme',
      },
    });
    // By name too: a tenant named like another's spec.tenantId.
    const holder = tenant('first', { tenantId: 'shared' });
    expect(reviewTenant(create(tenant('shared')), [holder]).allowed).toBe(false);
  });

  it('allows a free id, the same object again, and an id held only by a deleting or invalid tenant', () => {
    expect(reviewTenant(create(tenant('globex')), [acme]).allowed).toBe(true);
    expect(reviewTenant(create(tenant('acme')), [acme]).allowed).toBe(true);
    const deleting = tenant('old', { tenantId: 'x' }, { deletionTimestamp: '2026-01-02T00:00:00Z' });
    expect(reviewTenant(create(tenant('x')), [deleting]).allowed).toBe(true);
    const invalid = tenant('bad', { tenantId: 'y', rateLimit: { requestsPerMinute: 1, burst: 5 } });
    expect(reviewTenant(create(tenant('y')), [invalid]).allowed).toBe(true);
  });

  it('never blocks an update that keeps the id (finalizer removal of a losing tenant), nor deletes', () => {
    const loser = tenant('acme-copy', { tenantId: 'acme' });
    const update: AdmissionRequest = { uid: 'u2', operation: 'UPDATE', object: loser, oldObject: loser };
    expect(reviewTenant(update, [acme, loser]).allowed).toBe(true);
    expect(reviewTenant({ uid: 'u3', operation: 'DELETE', name: 'acme' }, [acme]).allowed).toBe(true);
  });

  it('allows with a warning while the cache has not synced', () => {
    const r = reviewTenant(create(tenant('acme-copy', { tenantId: 'acme' })), undefined);
    expect(r.allowed).toBe(true);
    expect(r.warnings?.[0]).toContain('not checked');
  });
});
