import pino from 'pino';
import type { ConfigMapSnapshot, GatewayKubeApi, WatchEvent } from '../k8s/kube-api';
import { createKubernetesSource } from './kubernetes-source';

/** A scripted API: lists answer from `state`, watches hand their callbacks to the test. */
function fakeApi() {
  const state: { configMap?: ConfigMapSnapshot; listVersion: string; listFails: number } = {
    listVersion: '1',
    listFails: 0,
  };
  const watches: {
    from: string;
    emit: (e: WatchEvent) => void;
    end: (err?: Error) => void;
    stopped: boolean;
  }[] = [];
  let lists = 0;
  const api: GatewayKubeApi = {
    async getConfigMap() {
      lists += 1;
      if (state.listFails > 0) {
        state.listFails -= 1;
        throw new Error('connection refused');
      }
      return {
        ...(state.configMap ? { configMap: state.configMap } : {}),
        resourceVersion: state.listVersion,
      };
    },
    async watchConfigMap(_ns, _name, rv, onEvent, done) {
      const w = { from: rv, emit: onEvent, end: done, stopped: false };
      watches.push(w);
      return { stop: () => (w.stopped = true) };
    },
    applyLease: async () => undefined,
    deleteLease: async () => undefined,
  };
  return { api, state, watches, lists: () => lists };
}

const cm = (rv: string, rpm: number): ConfigMapSnapshot => ({
  resourceVersion: rv,
  annotations: {},
  data: { 'config.json': JSON.stringify({ rpm }) },
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('createKubernetesSource', () => {
  const logger = pino({ level: 'silent' });

  it('delivers the listed ConfigMap, then every change from the watch, once per resourceVersion', async () => {
    const f = fakeApi();
    f.state.configMap = cm('5', 1);
    f.state.listVersion = '5';
    const docs: unknown[] = [];
    const source = createKubernetesSource({ api: f.api, namespace: 'aegis', configMap: 'cfg', logger });
    await source.start({ document: (d) => docs.push(d), error: () => undefined });
    expect(docs).toEqual([{ rpm: 1 }]);
    expect(f.watches[0].from).toBe('5');
    f.watches[0].emit({ type: 'MODIFIED', configMap: cm('6', 2) });
    f.watches[0].emit({ type: 'MODIFIED', configMap: cm('6', 2) });
    expect(docs).toEqual([{ rpm: 1 }, { rpm: 2 }]);
    await source.stop();
  });

  it('relists after 410 Gone and after a failed watch, with backoff, without dropping anything', async () => {
    const f = fakeApi();
    f.state.configMap = cm('5', 1);
    const errors: string[] = [];
    const restarts: string[] = [];
    const source = createKubernetesSource({
      api: f.api,
      namespace: 'aegis',
      configMap: 'cfg',
      logger,
      minBackoffMs: 5,
      onWatchRestart: (r) => restarts.push(r),
    });
    const docs: unknown[] = [];
    await source.start({ document: (d) => docs.push(d), error: (e) => errors.push(e.message) });
    f.watches[0].emit({ type: 'EXPIRED' });
    f.state.configMap = cm('9', 3);
    f.watches[0].end(new Error('watch error 410'));
    await until(() => f.watches.length === 2);
    expect(restarts).toEqual(['resourceVersion expired']);
    expect(docs).toEqual([{ rpm: 1 }, { rpm: 3 }]);
    // The API server goes away: lists fail twice, then it is back.
    f.state.listFails = 2;
    f.watches[1].end(new Error('socket hang up'));
    await until(() => f.watches.length === 3);
    expect(restarts.filter((r) => r.startsWith('list failed'))).toHaveLength(2);
    expect(errors).toEqual([]);
    await source.stop();
  });

  it('reports a missing, deleted or unparsable ConfigMap as an error (the holder keeps the last good one)', async () => {
    const f = fakeApi();
    const errors: string[] = [];
    const source = createKubernetesSource({ api: f.api, namespace: 'aegis', configMap: 'cfg', logger });
    await source.start({ document: () => undefined, error: (e) => errors.push(e.message) });
    f.watches[0].emit({
      type: 'ADDED',
      configMap: { resourceVersion: '2', annotations: {}, data: { 'config.json': '{' } },
    });
    f.watches[0].emit({ type: 'DELETED', resourceVersion: '3' });
    expect(errors).toEqual([
      'ConfigMap aegis/cfg does not exist yet',
      'ConfigMap aegis/cfg: config.json is not valid JSON',
      'ConfigMap aegis/cfg was deleted',
    ]);
    await source.stop();
  });
});
