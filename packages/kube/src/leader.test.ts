import { createLogger } from '@aegis/common';
import { FakeKubeApi } from './testing/fake-api';
import { LeaderElector, microTime } from './leader';
import type { Lease } from './types';

const resource = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace: 'aegis' };
const log = createLogger({ service: 'test', level: 'silent' });

function elector(api: FakeKubeApi, identity: string, clock: { now: number }) {
  return new LeaderElector({
    api,
    resource,
    leaseName: 'leader',
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2000,
    log,
    onStartedLeading: () => undefined,
    onStoppedLeading: () => undefined,
    now: () => clock.now,
  });
}

describe('LeaderElector.tryAcquireOrRenew', () => {
  it('creates the lease when there is none, and renews it', async () => {
    const api = new FakeKubeApi();
    const clock = { now: 1_000_000 };
    const a = elector(api, 'a', clock);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    clock.now += 2000;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    const lease = api.peek<Lease>(resource, 'leader')!;
    expect(lease.spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      renewTime: microTime(1_002_000),
      leaseTransitions: 0,
    });
  });

  it('does not take a lease another replica keeps renewing, and takes it once it expires by its own clock', async () => {
    const api = new FakeKubeApi();
    const clock = { now: 1_000_000 };
    const a = elector(api, 'a', clock);
    const b = elector(api, 'b', clock);
    await a.tryAcquireOrRenew();
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.now += 10_000;
    await a.tryAcquireOrRenew(); // a renews: b sees a change and restarts its timer
    clock.now += 10_000;
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.now += 15_001; // a stopped renewing 15 s ago (as b observed it)
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(api.peek<Lease>(resource, 'leader')!.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
    });
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });

  it('loses a race on the resourceVersion instead of both winning', async () => {
    const api = new FakeKubeApi();
    const clock = { now: 1_000_000 };
    await elector(api, 'a', clock).tryAcquireOrRenew();
    clock.now += 20_000;
    const b = elector(api, 'b', clock);
    const c = elector(api, 'c', clock);
    await b.tryAcquireOrRenew(); // observes the lease (first sight starts the clock) ...
    await c.tryAcquireOrRenew();
    clock.now += 16_000;
    const lease = api.peek<Lease>(resource, 'leader')!;
    const original = api.get.bind(api);
    // Both read the same version; the second write conflicts.
    api.get = (async () => lease) as typeof api.get;
    const results = [
      await b.tryAcquireOrRenew().catch(() => false),
      await c.tryAcquireOrRenew().catch(() => false),
    ];
    api.get = original;
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('takes a released lease (no holder) at once', async () => {
    const api = new FakeKubeApi();
    const clock = { now: 1_000_000 };
    api.put(resource, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'leader' },
      spec: { holderIdentity: null, leaseDurationSeconds: 1 },
    });
    expect(await elector(api, 'b', clock).tryAcquireOrRenew()).toBe(true);
  });
});

describe('microTime', () => {
  it('has six fractional digits', () =>
    expect(microTime(Date.parse('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678000Z'));
});
