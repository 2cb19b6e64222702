import { waitFor } from '@aegis/testing';
import { createLogger } from '@aegis/common';
import { Informer } from './informer';
import { KubeApiError, type KubeObject, type ListResult, type WatchEvent, type WatchStream } from './types';

const log = createLogger({ service: 'test', level: 'silent' });
const obj = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'X',
  metadata: { name, resourceVersion: rv },
});
const until = (check: () => boolean, timeoutMs = 5000): Promise<true> =>
  waitFor('condition', () => Promise.resolve(check()), timeoutMs, 5);

/** A scripted API server: lists return `state`; each watch is a handle the test drives. */
class FakeServer {
  state: KubeObject[] = [];
  rv = '10';
  lists = 0;
  watches: { rv: string; emit: (e: WatchEvent) => void; end: (error?: Error) => void; closed: boolean }[] =
    [];
  failWatches = 0;
  api = {
    list: async <T extends KubeObject>(): Promise<ListResult<T>> => {
      this.lists++;
      return { items: this.state as T[], resourceVersion: this.rv };
    },
    watch: async <T extends KubeObject>(
      _r: unknown,
      o: { resourceVersion: string },
      onEvent: (e: WatchEvent<T>) => void,
    ): Promise<WatchStream> => {
      if (this.failWatches > 0) {
        this.failWatches--;
        throw new Error('connect ECONNREFUSED');
      }
      let resolve!: (v: { error?: Error }) => void;
      const done = new Promise<{ error?: Error }>((r) => (resolve = r));
      const w = {
        rv: o.resourceVersion,
        closed: false,
        emit: (e: WatchEvent) => onEvent(e as WatchEvent<T>),
        end: (error?: Error) => {
          if (w.closed) return;
          w.closed = true;
          resolve(error ? { error } : {});
        },
      };
      this.watches.push(w);
      return { close: () => w.end(), done };
    },
  };
}

function informer(server: FakeServer, extra: { idleTimeoutMs?: number } = {}) {
  const events: string[] = [];
  const restarts: string[] = [];
  const inf = new Informer<KubeObject>({
    name: 'x',
    api: server.api,
    resource: { group: '', version: 'v1', plural: 'xs', namespace: 'ns' },
    watchTimeoutSeconds: 60,
    idleTimeoutMs: extra.idleTimeoutMs ?? 60_000,
    resyncMs: 0,
    backoff: { baseMs: 5, maxMs: 20 },
    log,
    onUpsert: (o) => events.push(`upsert ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onDelete: (o) => events.push(`delete ${o.metadata.name}`),
    onRestart: (r) => restarts.push(r),
  });
  return { inf, events, restarts };
}

describe('Informer', () => {
  it('lists, then watches from the list resourceVersion and applies events in order', async () => {
    const s = new FakeServer();
    s.state = [obj('a', '5')];
    const { inf, events } = informer(s);
    await inf.start();
    await until(() => s.watches.length === 1);
    expect(s.watches[0].rv).toBe('10');
    s.watches[0].emit({ type: 'ADDED', object: obj('b', '11') });
    s.watches[0].emit({ type: 'MODIFIED', object: obj('a', '12') });
    s.watches[0].emit({ type: 'DELETED', object: obj('b', '13') });
    expect(events).toEqual(['upsert a@5', 'upsert b@11', 'upsert a@12', 'delete b']);
    expect(inf.list().map((o) => o.metadata.name)).toEqual(['a']);
    await inf.stop();
  });

  it('resumes a closed watch from the last resourceVersion seen, bookmarks included, without relisting', async () => {
    const s = new FakeServer();
    const { inf, restarts } = informer(s);
    await inf.start();
    await until(() => s.watches.length === 1);
    s.watches[0].emit({ type: 'ADDED', object: obj('a', '11') });
    s.watches[0].emit({ type: 'BOOKMARK', object: obj('', '15') });
    s.watches[0].end();
    await until(() => s.watches.length === 2);
    expect(s.watches[1].rv).toBe('15');
    expect(s.lists).toBe(1);
    expect(restarts).toEqual(['closed']);
    await inf.stop();
  });

  it('relists on 410 Gone and reports what disappeared meanwhile', async () => {
    const s = new FakeServer();
    s.state = [obj('a', '5'), obj('b', '6')];
    const { inf, events, restarts } = informer(s);
    await inf.start();
    await until(() => s.watches.length === 1);
    s.state = [obj('a', '20')];
    s.rv = '21';
    s.watches[0].emit({ type: 'ERROR', object: { code: 410, reason: 'Expired' } as unknown as KubeObject });
    await until(() => s.watches.length === 2);
    expect(s.lists).toBe(2);
    expect(s.watches[1].rv).toBe('21');
    expect(events.slice(2)).toEqual(['upsert a@20', 'delete b']);
    expect(restarts).toContain('gone');
    await inf.stop();
  });

  it('relists when opening the watch answers 410', async () => {
    const s = new FakeServer();
    const { inf } = informer(s);
    const original = s.api.watch;
    let first = true;
    s.api.watch = (async (...args: Parameters<typeof original>) => {
      if (first) {
        first = false;
        throw new KubeApiError(410, 'Expired', 'too old resource version');
      }
      return original(...args);
    }) as typeof original;
    await inf.start();
    await until(() => s.watches.length === 1);
    expect(s.lists).toBe(2);
    await inf.stop();
  });

  it('backs off and reconnects while the server refuses connections', async () => {
    const s = new FakeServer();
    const { inf, restarts } = informer(s);
    await inf.start();
    await until(() => s.watches.length === 1);
    s.failWatches = 3;
    s.watches[0].end(new Error('socket hang up'));
    await until(() => s.watches.length === 2);
    expect(restarts).toEqual(['error', 'error', 'error', 'error']);
    await inf.stop();
  });

  it('restarts a watch that went silent (the watchdog)', async () => {
    const s = new FakeServer();
    const { inf, restarts } = informer(s, { idleTimeoutMs: 50 });
    await inf.start();
    await until(() => s.watches.length >= 2);
    expect(s.watches[0].closed).toBe(true);
    expect(restarts[0]).toBe('watchdog');
    await inf.stop();
  });
});
