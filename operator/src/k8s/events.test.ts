import { createLogger } from '@aegis/common';
import { KubeApiError, type KubeObject, type Resource } from '@aegis/kube';
import { EventRecorder } from './events';

type Stored = KubeObject & Record<string, unknown>;

/** Events as the API server keeps them: create, and merge patch of top-level fields. */
function eventsApi() {
  const store = new Map<string, Stored>();
  const writes: string[] = [];
  return {
    store,
    writes,
    async create<T extends KubeObject>(_r: Resource, o: T): Promise<T> {
      writes.push('create');
      store.set(o.metadata.name, structuredClone(o));
      return o;
    },
    async mergePatch<T extends KubeObject>(_r: Resource, name: string, patch: unknown): Promise<T> {
      writes.push('patch');
      const e = store.get(name);
      if (!e) throw new KubeApiError(404, 'NotFound', 'not found');
      Object.assign(e, patch);
      return e as unknown as T;
    },
  };
}

const log = createLogger({ service: 'operator-test', level: 'silent' });
const tenant: KubeObject = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisTenant',
  metadata: { name: 'acme', namespace: 'aegis', uid: 'u-1' },
};

describe('EventRecorder', () => {
  it('writes an Event about the object, and counts a repeat on the same Event (as client-go does)', async () => {
    const api = eventsApi();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const events = new EventRecorder({
      api,
      namespace: 'aegis',
      component: 'aegis-operator',
      instance: 'op-0',
      log,
      now: () => now,
    });
    events.event(tenant, 'Warning', 'ConfigTooLarge', 'too big');
    now += 60_000;
    events.event(tenant, 'Warning', 'ConfigTooLarge', 'too big');
    events.event(tenant, 'Normal', 'Programmed', 'Every running gateway replica runs generation 2');
    await events.flush();
    const written = [...api.store.values()];
    expect(written).toHaveLength(2);
    const warning = written.find((e) => e.reason === 'ConfigTooLarge')!;
    expect(warning).toMatchObject({
      involvedObject: { kind: 'AegisTenant', name: 'acme', namespace: 'aegis', uid: 'u-1' },
      type: 'Warning',
      message: 'too big',
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:01:00Z',
      source: { component: 'aegis-operator', host: 'op-0' },
    });
    expect(warning.metadata.name).toMatch(/^acme\.[0-9a-f]+$/);
    expect(api.writes).toEqual(['create', 'patch', 'create']);
  });

  it('never fails the caller: a refused write is logged and dropped', async () => {
    const api = eventsApi();
    api.create = () => Promise.reject(new Error('forbidden'));
    const events = new EventRecorder({ api, namespace: 'aegis', component: 'c', instance: 'i', log });
    events.event(tenant, 'Normal', 'Accepted', 'ok');
    await expect(events.flush()).resolves.toBeUndefined();
  });
});
