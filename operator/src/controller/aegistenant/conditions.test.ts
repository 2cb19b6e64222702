import type { Lease } from '@aegis/kube';
import { mergeConditions, programmedCondition, runningReplicas, statusConditions } from './conditions';

const lease = (name: string, renew: number, hash?: string, duration = 15): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, annotations: hash ? { 'aegis.io/config-hash': hash } : {} },
  spec: { holderIdentity: name, leaseDurationSeconds: duration, renewTime: new Date(renew).toISOString() },
});

describe('runningReplicas', () => {
  it('keeps replicas whose renewTime + leaseDurationSeconds is in the future', () => {
    const now = 1_000_000;
    const r = runningReplicas(
      [lease('a', now - 14_000, 'h'), lease('b', now - 16_000, 'h'), lease('c', now, undefined)],
      now,
    );
    expect(r.map((x) => x.name)).toEqual(['a', 'c']);
    expect(r[0].expiresAt).toBe(now + 1000);
  });
});

describe('programmedCondition', () => {
  const replica = (name: string, applied?: string, rejected: string[] = []) => ({
    name,
    ...(applied ? { applied } : {}),
    rejected: new Set(rejected),
    more: 0,
    expiresAt: 1,
  });
  const delivery = { piece: 'aegis-tenant-acme', resourceVersion: '100', generation: 2 };
  it('needs at least one replica', () => {
    expect(programmedCondition(1, delivery, [])).toMatchObject({
      status: 'False',
      reason: 'NoGatewayReplicas',
    });
  });
  it('is True when every running replica applied the piece (watermark at or past it)', () => {
    const c = programmedCondition(2, delivery, [replica('a', '100'), replica('b', '250')]);
    expect(c).toMatchObject({ status: 'True', reason: 'AllGatewaysLoaded' });
    expect(c.message).toBe('Every running gateway replica runs generation 2');
  });
  it('is pending while one replica is behind or reports nothing', () => {
    expect(
      programmedCondition(2, delivery, [replica('a', '100'), replica('b', '99'), replica('c')]),
    ).toMatchObject({
      status: 'False',
      reason: 'GatewaysPending',
      message: '1/3 gateway replicas run generation 2',
    });
  });
  it('names a refusal, and an undeliverable piece', () => {
    expect(programmedCondition(2, delivery, [replica('a', '200', ['aegis-tenant-acme'])])).toMatchObject({
      status: 'False',
      reason: 'GatewayRejected',
    });
    expect(
      programmedCondition(2, { undeliverable: { reason: 'ConfigTooLarge', message: 'too big' } }, [
        replica('a', '1'),
      ]),
    ).toEqual({ type: 'Programmed', status: 'False', reason: 'ConfigTooLarge', message: 'too big' });
  });
});

describe('runningReplicas reads what a replica applied', () => {
  it('parses the watermark and the bounded refusal list', () => {
    const l = lease('a', 1_000_000, 'h');
    l.metadata.annotations = {
      ...l.metadata.annotations,
      'aegis.io/config-applied': '42',
      'aegis.io/config-rejected': 'aegis-tenant-x,aegis-tenant-y,+3',
    };
    const [r] = runningReplicas([l], 1_000_000);
    expect(r).toMatchObject({ applied: '42', more: 3 });
    expect([...r.rejected]).toEqual(['aegis-tenant-x', 'aegis-tenant-y']);
  });
});

describe('mergeConditions', () => {
  const prev = [
    {
      type: 'Accepted',
      status: 'True' as const,
      lastTransitionTime: '2020-01-01T00:00:00Z',
      reason: 'Valid',
      message: 'm',
      observedGeneration: 1,
    },
  ];
  it('keeps lastTransitionTime while the status stays, and moves it when the status flips', () => {
    const same = mergeConditions(
      prev,
      [{ type: 'Accepted', status: 'True', reason: 'Valid', message: 'other' }],
      2,
      '2030-01-01T00:00:00Z',
    );
    expect(same[0]).toMatchObject({
      lastTransitionTime: '2020-01-01T00:00:00Z',
      observedGeneration: 2,
      message: 'other',
    });
    const flipped = mergeConditions(
      prev,
      [{ type: 'Accepted', status: 'False', reason: 'InvalidSpec', message: 'x' }],
      2,
      '2030-01-01T00:00:00Z',
    );
    expect(flipped[0].lastTransitionTime).toBe('2030-01-01T00:00:00Z');
  });
  it('orders the conditions Accepted, Programmed, AdminProvisioned, Ready, Degraded', () => {
    const out = mergeConditions(
      undefined,
      statusConditions({
        generation: 1,
        evaluation: { accepted: true, tenantId: 'a', spec: {} as never },
        admin: { status: 'True', reason: 'Created', message: 'm' },
      }),
      1,
      't',
    );
    expect(out.map((c) => c.type)).toEqual([
      'Accepted',
      'Programmed',
      'AdminProvisioned',
      'Ready',
      'Degraded',
    ]);
  });
});

describe('statusConditions', () => {
  it('an invalid tenant is neither Programmed nor Ready, and not Degraded', () => {
    const c = statusConditions({
      generation: 1,
      evaluation: { accepted: false, reason: 'InvalidSpec', message: 'spec.x: bad' },
    });
    expect(Object.fromEntries(c.map((x) => [x.type, x.status]))).toEqual({
      Accepted: 'False',
      Programmed: 'False',
      Ready: 'False',
      Degraded: 'False',
    });
  });
  it('a failure makes it Degraded with the reason', () => {
    const c = statusConditions({
      generation: 1,
      evaluation: { accepted: true, tenantId: 'a', spec: {} as never },
      failure: { reason: 'ConfigMapApplyFailed', message: 'boom' },
    });
    expect(c.find((x) => x.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'ConfigMapApplyFailed',
    });
  });
  it('Ready needs Programmed and a provisioned admin when the spec names one', () => {
    const programmed = {
      type: 'Programmed' as const,
      status: 'True' as const,
      reason: 'AllGatewaysLoaded',
      message: 'ok',
    };
    const base = {
      generation: 1,
      evaluation: { accepted: true as const, tenantId: 'a', spec: {} as never },
      programmed,
    };
    expect(statusConditions(base).find((x) => x.type === 'Ready')!.status).toBe('True');
    const c = statusConditions({
      ...base,
      admin: { status: 'False', reason: 'AuthNotConfigured', message: 'AUTH_URL is not set' },
    });
    expect(c.find((x) => x.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'AdminNotProvisioned',
    });
  });
});
