import type { Logger } from '@aegis/common';
import { Backoff, type BackoffOptions, sleep } from './backoff';
import { isGone, type KubeApi, KubeApiError, type KubeObject, type Resource, type WatchEvent } from './types';

export const WATCH_RESTART_REASONS = ['closed', 'error', 'gone', 'watchdog', 'list-failed'] as const;
export type WatchRestartReason = (typeof WATCH_RESTART_REASONS)[number];

export interface InformerHandlers<T extends KubeObject> {
  /** Added or changed (also on a relist that finds a change). */
  onUpsert?: (object: T, old: T | undefined) => void;
  onDelete?: (object: T) => void;
  /** The periodic resync: every cached object again. */
  onResync?: (object: T) => void;
}

export interface InformerOptions<T extends KubeObject> extends InformerHandlers<T> {
  name: string;
  api: Pick<KubeApi, 'list' | 'watch'>;
  resource: Resource;
  labelSelector?: string;
  /** e.g. `metadata.name=<name>` to follow one object. */
  fieldSelector?: string;
  /** Asks the server to end each watch after this long; the informer then watches again. */
  watchTimeoutSeconds: number;
  /** Watchdog: a watch that delivers nothing (no event, no bookmark) for this long is restarted. */
  idleTimeoutMs: number;
  /** Replays the cache to onResync this often; 0 disables. */
  resyncMs: number;
  backoff: BackoffOptions;
  log: Logger;
  onRestart?: (reason: WatchRestartReason) => void;
}

const keyOf = (o: KubeObject) => o.metadata.name;

/**
 * A list-then-watch cache of one kind of object in one namespace. It lists, then watches from the
 * list's resourceVersion; a watch that ends is resumed from the last seen resourceVersion (bookmarks
 * included), a 410 Gone relists, failures back off exponentially (capped), and a watchdog restarts a
 * watch that has gone silent. Handlers run synchronously for every change, in order.
 */
export class Informer<T extends KubeObject> {
  private readonly store = new Map<string, T>();
  private resourceVersion = '';
  private synced = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private current: { close(): void } | undefined;
  private readonly backoff: Backoff;
  private lastWatch = { events: 0, ms: 0 };

  constructor(private readonly options: InformerOptions<T>) {
    this.backoff = new Backoff(options.backoff);
  }

  get(name: string): T | undefined {
    return this.store.get(name);
  }

  list(): T[] {
    return [...this.store.values()];
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Starts the loop; resolves after the first list (or rejects when stop() comes first). */
  start(): Promise<void> {
    this.loop ??= this.run();
    if (this.options.resyncMs > 0) {
      this.resyncTimer = setInterval(() => {
        for (const o of this.store.values()) this.options.onResync?.(o);
      }, this.options.resyncMs);
      this.resyncTimer.unref();
    }
    return this.waitForSync();
  }

  async waitForSync(): Promise<void> {
    while (!this.synced && !this.abort.signal.aborted) await sleep(20, this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.current?.close();
    await this.loop;
  }

  private restarted(reason: WatchRestartReason, detail?: string): void {
    this.options.onRestart?.(reason);
    this.options.log.debug({ informer: this.options.name, reason, detail }, 'Restarting watch');
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.options.api.list<T>(this.options.resource, {
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
    });
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(keyOf(item));
      this.upsert(item);
    }
    for (const [name, old] of [...this.store]) {
      if (!seen.has(name)) {
        this.store.delete(name);
        this.options.onDelete?.(old);
      }
    }
    this.resourceVersion = resourceVersion;
    this.synced = true;
  }

  private upsert(object: T): void {
    const old = this.store.get(keyOf(object));
    if (old && old.metadata.resourceVersion === object.metadata.resourceVersion) return;
    this.store.set(keyOf(object), object);
    this.options.onUpsert?.(object, old);
  }

  private handle(event: WatchEvent<T>): 'ok' | 'gone' | 'error' {
    if (event.type === 'ERROR') {
      const status = event.object as unknown as { code?: number; message?: string };
      if (status.code === 410) return 'gone';
      this.options.log.warn({ informer: this.options.name, status }, 'Watch returned an error');
      return 'error';
    }
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return 'ok';
    if (event.type === 'DELETED') {
      const old = this.store.get(keyOf(event.object));
      this.store.delete(keyOf(event.object));
      this.options.onDelete?.(old ?? event.object);
      return 'ok';
    }
    this.upsert(event.object);
    return 'ok';
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let needList = true;
    while (!signal.aborted) {
      if (needList) {
        try {
          await this.relist();
          needList = false;
        } catch (err) {
          if (signal.aborted) return;
          this.restarted('list-failed', (err as Error).message);
          this.options.log.warn(
            { informer: this.options.name, err: (err as Error).message },
            'Failed to list; backing off',
          );
          await sleep(this.backoff.next(), signal);
          continue;
        }
      }
      const outcome = await this.watchOnce(signal);
      if (signal.aborted) return;
      if (outcome === 'gone') {
        // The resourceVersion is too old: start over from a fresh list, at once.
        needList = true;
        this.restarted('gone');
        continue;
      }
      this.restarted(outcome);
      // The server ended a watch that had run a while (timeoutSeconds): resume at once. A watch that
      // ends at once without events is a failure in disguise and backs off like one.
      if (outcome === 'closed' && (this.lastWatch.events > 0 || this.lastWatch.ms >= 1000)) continue;
      await sleep(this.backoff.next(), signal);
    }
  }

  /** One watch, from the current resourceVersion, until it ends; says why it ended. */
  private async watchOnce(signal: AbortSignal): Promise<'closed' | 'error' | 'gone' | 'watchdog'> {
    let verdict: 'closed' | 'error' | 'gone' | 'watchdog' = 'closed';
    let stream: { close(): void; done: Promise<{ error?: Error }> };
    let idle: NodeJS.Timeout | undefined;
    const started = Date.now();
    this.lastWatch = { events: 0, ms: 0 };
    const arm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        verdict = 'watchdog';
        this.options.log.warn(
          { informer: this.options.name, idleMs: this.options.idleTimeoutMs },
          'Watch went silent; restarting it',
        );
        stream?.close();
      }, this.options.idleTimeoutMs);
    };
    try {
      stream = await this.options.api.watch<T>(
        this.options.resource,
        {
          resourceVersion: this.resourceVersion,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
          timeoutSeconds: this.options.watchTimeoutSeconds,
        },
        (event) => {
          if (verdict !== 'closed') return;
          this.lastWatch.events++;
          arm();
          const r = this.handle(event);
          if (r === 'ok') {
            this.backoff.reset();
            return;
          }
          verdict = r;
          stream?.close();
        },
      );
    } catch (err) {
      if (isGone(err)) return 'gone';
      if (!signal.aborted) {
        this.options.log.warn(
          {
            informer: this.options.name,
            err: (err as Error).message,
            status: err instanceof KubeApiError ? err.status : undefined,
          },
          'Failed to open watch; backing off',
        );
      }
      return 'error';
    }
    this.current = stream;
    arm();
    const { error } = await stream.done;
    if (idle) clearTimeout(idle);
    this.current = undefined;
    this.lastWatch.ms = Date.now() - started;
    if (verdict === 'closed' && error) {
      verdict = 'error';
      this.options.log.info({ informer: this.options.name, err: error.message }, 'Watch ended with an error');
    }
    return verdict;
  }
}
