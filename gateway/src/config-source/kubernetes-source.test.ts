import type { ConfigMap, KubeApi, KubeObject, WatchEvent, WatchStream } from '@aegis/kube';
import { KubeApiError } from '@aegis/kube';
import pino from 'pino';
import { createKubernetesSource, type KubernetesSourceOptions } from './kubernetes-source';

/** A scripted API server: lists answer from `state`, watches hand their streams to the test. */
function fakeApi() {
  const state: { configMap?: ConfigMap; pieces: ConfigMap[]; listVersion: string; listFails: number } = {
    listVersion: '1',
    listFails: 0,
    pieces: [],
  };
  type FakeWatch = {
    from: string;
    fieldSelector?: string;
    emit: (e: WatchEvent<ConfigMap>) => void;
    end: (err?: Error) => void;
    closed: boolean;
  };
  const watches: FakeWatch[] = [];
  /** Watches of the per-tenant pieces (label-selected). */
  const pieceWatches: FakeWatch[] = [];
  let lists = 0;
  const api: Pick<KubeApi, 'list' | 'watch'> = {
    async list<T extends KubeObject>(_r: unknown, o?: { labelSelector?: string }) {
      if (o?.labelSelector)
        return { items: state.pieces as unknown as T[], resourceVersion: state.listVersion };
      lists += 1;
      if (state.listFails > 0) {
        state.listFails -= 1;
        throw new KubeApiError(503, 'ServiceUnavailable', 'connection refused');
      }
      return {
        items: (state.configMap ? [state.configMap] : []) as unknown as T[],
        resourceVersion: state.listVersion,
      };
    },
    async watch<T extends KubeObject>(
      _r: unknown,
      o: { resourceVersion: string; fieldSelector?: string; labelSelector?: string },
      onEvent: (e: WatchEvent<T>) => void,
    ): Promise<WatchStream> {
      let resolve!: (v: { error?: Error }) => void;
      const done = new Promise<{ error?: Error }>((r) => (resolve = r));
      const w = {
        from: o.resourceVersion,
        fieldSelector: o.fieldSelector,
        closed: false,
        emit: (e: WatchEvent<ConfigMap>) => onEvent(e as unknown as WatchEvent<T>),
        end: (error?: Error) => {
          if (w.closed) return;
          w.closed = true;
          resolve(error ? { error } : {});
        },
      };
      (o.labelSelector ? pieceWatches : watches).push(w);
      return { close: () => w.end(), done };
    },
  };
  return { api, state, watches, pieceWatches, lists: () => lists };
}

const cm = (rv: string, rpm: number | string): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'aegis', resourceVersion: rv },
  data: { 'config.json': typeof rpm === 'string' ? rpm : JSON.stringify({ rpm }) },
});
const gone = { type: 'ERROR' as const, object: { code: 410 } as unknown as ConfigMap };

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 400 && !cond(); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('createKubernetesSource', () => {
  const logger = pino({ level: 'silent' });
  const sourceOn = (f: ReturnType<typeof fakeApi>, extra: Partial<KubernetesSourceOptions> = {}) =>
    createKubernetesSource({ api: f.api, namespace: 'aegis', configMap: 'cfg', logger, ...extra });

  it('delivers the listed ConfigMap, then every change from the watch, once per resourceVersion', async () => {
    const f = fakeApi();
    f.state.configMap = cm('5', 1);
    f.state.listVersion = '5';
    const docs: unknown[] = [];
    const source = sourceOn(f);
    await source.start({ document: (d) => void docs.push(d), error: () => undefined });
    expect(docs).toEqual([{ rpm: 1 }]);
    await until(() => f.watches.length === 1);
    expect(f.watches[0]).toMatchObject({ from: '5', fieldSelector: 'metadata.name=cfg' });
    f.watches[0].emit({ type: 'MODIFIED', object: cm('6', 2) });
    f.watches[0].emit({ type: 'MODIFIED', object: cm('6', 2) });
    expect(docs).toEqual([{ rpm: 1 }, { rpm: 2 }]);
    await source.stop();
  });

  it('relists after 410 Gone and after failed lists, with backoff, without dropping anything', async () => {
    const f = fakeApi();
    f.state.configMap = cm('5', 1);
    const errors: string[] = [];
    const restarts: string[] = [];
    const source = sourceOn(f, { minBackoffMs: 5, onWatchRestart: (r) => restarts.push(r) });
    const docs: unknown[] = [];
    await source.start({ document: (d) => void docs.push(d), error: (e) => errors.push(e.message) });
    await until(() => f.watches.length === 1);
    f.state.configMap = cm('9', 3);
    f.watches[0].emit(gone);
    await until(() => f.watches.length === 2);
    expect(restarts).toEqual(['gone']);
    expect(f.lists()).toBe(2);
    expect(docs).toEqual([{ rpm: 1 }, { rpm: 3 }]);
    // The API server goes away: the watch fails, lists fail twice, then it is back.
    f.state.listFails = 2;
    f.watches[1].emit(gone);
    await until(() => f.watches.length === 3);
    expect(restarts.filter((r) => r === 'list-failed')).toHaveLength(2);
    expect(errors).toEqual([]);
    expect(docs).toEqual([{ rpm: 1 }, { rpm: 3 }]);
    await source.stop();
  });

  it('starts even when the API server cannot be reached, and delivers once it can', async () => {
    const f = fakeApi();
    f.state.configMap = cm('5', 1);
    f.state.listFails = 1;
    const docs: unknown[] = [];
    const source = sourceOn(f, { minBackoffMs: 5 });
    await source.start({ document: (d) => void docs.push(d), error: () => undefined });
    await until(() => docs.length === 1);
    expect(docs).toEqual([{ rpm: 1 }]);
    await source.stop();
  });

  it('reports a missing, deleted or unparsable ConfigMap as an error (the holder keeps the last good one)', async () => {
    const f = fakeApi();
    const errors: string[] = [];
    const source = sourceOn(f);
    await source.start({ document: () => undefined, error: (e) => errors.push(e.message) });
    await until(() => f.watches.length === 1);
    f.watches[0].emit({ type: 'ADDED', object: cm('2', '{') });
    f.watches[0].emit({ type: 'DELETED', object: cm('3', '{') });
    expect(errors).toEqual([
      'ConfigMap aegis/cfg does not exist yet',
      'ConfigMap aegis/cfg: config.json is not valid JSON',
      'ConfigMap aegis/cfg was deleted',
    ]);
    await source.stop();
  });

  it('assembles the per-tenant pieces with the global document, refuses a bad piece on its own and reports a watermark', async () => {
    const f = fakeApi();
    const piece = (name: string, rv: string, entry: unknown): ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: 'aegis',
        resourceVersion: rv,
        labels: { 'aegis.io/gateway-config': 'tenant' },
      },
      data: { 'gateway.json': JSON.stringify(entry) },
    });
    f.state.configMap = cm('5', '{"routes":[],"tenants":[]}');
    f.state.pieces = [
      piece('aegis-tenant-a', '7', { name: 'a', generation: 1, spec: {} }),
      piece('aegis-tenant-b', '9', { name: 'b', generation: 1, spec: { suspended: true } }),
    ];
    const docs: { tenants: { name: string; generation?: number }[] }[] = [];
    const applied: unknown[] = [];
    const source = createKubernetesSource({
      api: f.api,
      namespace: 'aegis',
      configMap: 'cfg',
      logger,
      onApplied: (s) => applied.push(s),
    });
    await source.start({ document: (d) => void docs.push(d as never), error: () => undefined });
    expect(docs.at(-1)!.tenants.map((t) => t.name)).toEqual(['a', 'b']);
    expect(source.applied()).toEqual({ version: '9', rejected: [] });
    await until(() => f.pieceWatches.length === 1);
    // A piece that does not validate: refused, its last good entry keeps running, others flow.
    f.pieceWatches[0].emit({
      type: 'MODIFIED',
      object: piece('aegis-tenant-a', '11', {
        name: 'a',
        generation: 2,
        spec: { rateLimit: { requestsPerMinute: 1, burst: 5 } },
      }),
    });
    f.pieceWatches[0].emit({
      type: 'MODIFIED',
      object: piece('aegis-tenant-b', '12', { name: 'b', generation: 2, spec: {} }),
    });
    await until(() => source.applied().version === '12');
    expect(docs.at(-1)!.tenants.map((t) => [t.name, t.generation])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(source.applied()).toEqual({ version: '12', rejected: ['aegis-tenant-a'] });
    expect(applied.at(-1)).toEqual({ version: '12', rejected: ['aegis-tenant-a'] });
    // Deleted: gone from the document.
    f.pieceWatches[0].emit({ type: 'DELETED', object: piece('aegis-tenant-b', '13', {}) });
    await until(() => docs.at(-1)!.tenants.length === 1);
    await source.stop();
  });

  it('lets a piece win over the same tenant inline in the global document (an older operator), and reports 0 with no piece', async () => {
    const f = fakeApi();
    f.state.configMap = cm(
      '5',
      JSON.stringify({
        tenants: [
          { name: 'a', generation: 1, spec: {} },
          { name: 'z', spec: {} },
        ],
      }),
    );
    const docs: { tenants: { name: string; generation?: number }[] }[] = [];
    const source = createKubernetesSource({ api: f.api, namespace: 'aegis', configMap: 'cfg', logger });
    await source.start({ document: (d) => void docs.push(d as never), error: () => undefined });
    expect(source.applied()).toEqual({ version: '0', rejected: [] });
    await until(() => f.pieceWatches.length === 1);
    f.pieceWatches[0].emit({
      type: 'ADDED',
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'aegis-tenant-a',
          resourceVersion: '8',
          labels: { 'aegis.io/gateway-config': 'tenant' },
        },
        data: { 'gateway.json': JSON.stringify({ name: 'a', generation: 2, spec: {} }) },
      },
    });
    await until(() => source.applied().version === '8');
    expect(docs.at(-1)!.tenants.map((t) => [t.name, t.generation])).toEqual([
      ['z', undefined],
      ['a', 2],
    ]);
    await source.stop();
  });
});
