import type { Logger } from '@aegis/common';
import { isNotFound, type KubeApi, type KubeObject, type Resource } from '@aegis/kube';

/** Kubernetes Events for what the operator does or fails to do, deduplicated as client-go's
 * recorder does: a repeat of the same event (same object, type, reason and message) increments
 * `count` and moves `lastTimestamp` on the Event already written, instead of writing another, so
 * `kubectl describe` shows one line "(x5 over 2m)". Writes never block or fail a reconcile. */

export const eventsResource = (namespace: string): Resource => ({
  group: '',
  version: 'v1',
  plural: 'events',
  namespace,
});

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  api: Pick<KubeApi, 'create' | 'mergePatch'>;
  /** The namespace of the objects (and so of their Events). */
  namespace: string;
  /** source.component / reportingComponent, e.g. aegis-operator. */
  component: string;
  /** source.host / reportingInstance: this replica. */
  instance: string;
  log: Logger;
  /** Distinct events remembered for deduplication (client-go keeps 4096). */
  cacheSize?: number;
  /** Writes in flight at once (default 4). */
  concurrency?: number;
  now?: () => number;
}

interface Remembered {
  name: string;
  count: number;
  first: string;
}

/** client-go truncates messages to 1 KiB. */
const MAX_MESSAGE = 1024;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Queued {
  object: KubeObject;
  type: EventType;
  reason: string;
  message: string;
  when: number;
  /** Events about one object are written in order; different objects' in parallel. */
  key: string;
}

/** Queued events beyond this are dropped, as client-go's broadcaster drops when its queue is full. */
const MAX_QUEUED = 1000;

export class EventRecorder {
  private readonly seen = new Map<string, Remembered>();
  private readonly queue: Queued[] = [];
  private readonly busy = new Set<string>();
  private active = 0;
  private waiters: (() => void)[] = [];
  private serial = 0;
  private readonly resource: Resource;
  private readonly now: () => number;

  constructor(private readonly options: EventRecorderOptions) {
    this.resource = eventsResource(options.namespace);
    this.now = options.now ?? Date.now;
  }

  /** Records an event about `object`; written in the background (a few at a time, in order per
   * object). */
  event(object: KubeObject, type: EventType, reason: string, message: string): void {
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
    if (this.queue.length >= MAX_QUEUED) {
      this.options.log.warn({ reason, object: object.metadata.name }, 'Dropped an event: too many queued');
      return;
    }
    const key = `${object.kind}/${object.metadata.name}`;
    this.queue.push({ object, type, reason, message: text, when: this.now(), key });
    this.pump();
  }

  /** Resolves once every event recorded so far is written (or failed). */
  flush(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.active < (this.options.concurrency ?? 4)) {
      const i = this.queue.findIndex((q) => !this.busy.has(q.key));
      if (i < 0) break;
      const [item] = this.queue.splice(i, 1);
      this.busy.add(item.key);
      this.active++;
      this.write(item.object, item.type, item.reason, item.message, item.when)
        .catch((err: unknown) =>
          this.options.log.warn(
            { reason: item.reason, object: item.object.metadata.name, err: (err as Error).message },
            'Failed to write an event',
          ),
        )
        .finally(() => {
          this.busy.delete(item.key);
          this.active--;
          this.pump();
          if (this.active === 0 && this.queue.length === 0) {
            const waiters = this.waiters;
            this.waiters = [];
            waiters.forEach((w) => w());
          }
        });
    }
  }

  private async write(
    object: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    when: number,
  ): Promise<void> {
    const meta = object.metadata;
    const key = [object.kind, meta.name, meta.uid ?? '', type, reason, message].join('\u0000');
    const at = isoSeconds(when);
    const known = this.seen.get(key);
    if (known) {
      // Most recently used last: the Map's order is the LRU order.
      this.seen.delete(key);
      this.seen.set(key, known);
      try {
        await this.options.api.mergePatch(this.resource, known.name, {
          count: known.count + 1,
          lastTimestamp: at,
        });
        known.count++;
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // The Event expired (the API server keeps them an hour): write a new one.
        this.seen.delete(key);
      }
    }
    const name = `${meta.name}.${(BigInt(when) * 1_000_000n + BigInt(this.serial++ % 1_000_000)).toString(16)}`;
    await this.options.api.create(this.resource, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: this.options.namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: meta.name,
        namespace: meta.namespace ?? this.options.namespace,
        ...(meta.uid ? { uid: meta.uid } : {}),
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
      source: { component: this.options.component, host: this.options.instance },
      reportingComponent: this.options.component,
      reportingInstance: this.options.instance,
    });
    this.seen.set(key, { name, count: 1, first: at });
    const max = this.options.cacheSize ?? 4096;
    while (this.seen.size > max) this.seen.delete(this.seen.keys().next().value!);
  }
}
