import { CONFIG_HASH_ANNOTATION } from '@aegis/common';
import { type Lease, leasesResource } from '@aegis/kube';
import { FakeKubeApi } from '@aegis/kube/testing';
import pino from 'pino';
import { createReplicaLease, leaseName } from './replica-lease';

describe('createReplicaLease', () => {
  const logger = pino({ level: 'silent' });

  it('applies a labelled Lease carrying the running hash, and deletes it on stop', async () => {
    const api = new FakeKubeApi();
    const running: { hash?: string } = {};
    const lease = createReplicaLease({
      api,
      namespace: 'aegis',
      replica: 'GW_0',
      logger,
      currentHash: () => running.hash,
    });
    expect(lease.name).toBe(leaseName('GW_0'));
    await lease.renew();
    const leases = leasesResource('aegis');
    expect(api.peek<Lease>(leases, lease.name)).toMatchObject({
      metadata: { labels: { 'app.kubernetes.io/component': 'gateway' }, annotations: {} },
      spec: {
        holderIdentity: 'GW_0',
        leaseDurationSeconds: 15,
        renewTime: expect.stringMatching(/\.\d{6}Z$/),
      },
    });
    running.hash = 'abc';
    await lease.renew();
    expect(api.peek<Lease>(leases, lease.name)?.metadata.annotations).toEqual({
      [CONFIG_HASH_ANNOTATION]: 'abc',
    });
    await lease.stop();
    expect(api.peek(leases, lease.name)).toBeUndefined();
  });

  it('keeps going when the API server refuses a renewal', async () => {
    const api = new FakeKubeApi();
    api.failNext = { verb: 'apply', plural: 'leases', error: new Error('connection refused') };
    const lease = createReplicaLease({
      api,
      namespace: 'aegis',
      replica: 'gw-1',
      logger,
      currentHash: () => 'h',
    });
    await expect(lease.renew()).resolves.toBeUndefined();
    await lease.renew();
    expect(api.peek<Lease>(leasesResource('aegis'), lease.name)?.spec?.holderIdentity).toBe('gw-1');
  });
});
