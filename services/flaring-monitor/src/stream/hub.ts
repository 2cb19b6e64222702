import type { Logger } from 'pino';
import type { Store } from '@aegis/common';
import { latestSeq, readStreamAfter, type StreamEntry } from './log';

export interface StreamHubOptions {
  store: Store;
  /** Poll interval (`STREAM_POLL_MS`, default 250 ms). */
  pollMs: number;
  logger: Logger;
  /**
   * How long a hole in `seq` is waited for before it is skipped. PostgreSQL hands out identity
   * values before commit, so a row with a smaller seq can commit after a larger one; a hole is held
   * back this long (it is usually a transaction about to commit) and then treated as a rollback.
   * Default 1 s on PostgreSQL and 0 on SQLite, whose single writer commits seqs in order.
   */
  gapGraceMs?: number;
  /** Rows read per poll; a full batch polls again at once. */
  batchSize?: number;
  /** Draining: streams end so the process can stop (clients reconnect elsewhere with Last-Event-ID). */
  isDraining?: () => boolean;
  now?: () => number;
}

export interface Subscriber {
  deliver(e: StreamEntry): void;
  /** The hub ends the subscription (draining or closed). */
  end(): void;
}

/**
 * One poller per process: it reads the stream log after the last seq it delivered and
 * fans each row out in memory to that tenant's subscribers, so a row written by any replica reaches
 * every replica's clients. It polls only while someone is subscribed.
 */
export class StreamHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private cursor: number | undefined;
  private gap: { after: number; since: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;
  /** A poke arrived during a poll: poll again right after it. */
  private again = false;
  private readonly now: () => number;
  private readonly gapGraceMs: number;
  /** The log was empty when the cursor was set: its first row starts the sequence, whatever its seq. */
  private fromEmpty = false;

  constructor(private readonly opts: StreamHubOptions) {
    this.now = opts.now ?? Date.now;
    this.gapGraceMs = opts.gapGraceMs ?? (opts.store.dialect === 'postgres' ? 1000 : 0);
  }

  /** Starts delivering this tenant's new rows to `sub`; resolves once the hub knows where "new"
   * begins, so rows recorded after it are never missed. Returns the unsubscribe function. */
  async subscribe(tenant: string, sub: Subscriber): Promise<() => void> {
    if (this.closed) throw new Error('Stream hub is closed');
    let set = this.subscribers.get(tenant);
    if (!set) this.subscribers.set(tenant, (set = new Set()));
    set.add(sub);
    if (this.cursor === undefined) {
      this.cursor = await latestSeq(this.opts.store);
      this.fromEmpty = this.cursor === 0;
    }
    this.schedule();
    return () => this.remove(tenant, sub);
  }

  /** Connected subscribers (all tenants). */
  size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** This process just committed rows to the log: poll now instead of at the next tick, so its own
   * clients hear at once (rows of other replicas still arrive within one poll interval). */
  poke(): void {
    if (this.closed || this.subscribers.size === 0) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(0);
  }

  /** Ends every subscription and stops polling. */
  async close(): Promise<void> {
    this.closed = true;
    this.endAll();
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
  }

  private remove(tenant: string, sub: Subscriber): void {
    const set = this.subscribers.get(tenant);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) this.subscribers.delete(tenant);
    if (this.subscribers.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      // The next subscriber starts from the log's end again, not from where this poller stopped.
      if (!this.polling) this.cursor = undefined;
    }
  }

  private endAll(): void {
    const all = [...this.subscribers.values()].flatMap((s) => [...s]);
    this.subscribers.clear();
    for (const sub of all) sub.end();
  }

  private schedule(delay = this.opts.pollMs): void {
    if (this.timer || this.polling || this.closed || this.subscribers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll()
        .catch((err: unknown) => this.opts.logger.error({ err }, 'Polling the stream log failed'))
        .then((more) => {
          this.polling = undefined;
          if (this.subscribers.size === 0) this.cursor = undefined;
          const now = more === true || this.again;
          this.again = false;
          this.schedule(now ? 0 : this.opts.pollMs);
        });
    }, delay);
    this.timer.unref();
  }

  /** One poll; true when a full batch was read (poll again at once). */
  private async poll(): Promise<boolean> {
    if (this.opts.isDraining?.()) {
      this.endAll();
      return false;
    }
    const batch = this.opts.batchSize ?? 500;
    const start = this.cursor ?? 0;
    const rows = await readStreamAfter(this.opts.store, start, batch);
    let cursor = start;
    for (const row of rows) {
      if (row.seq !== cursor + 1 && !this.fromEmpty && !this.holeExpired(cursor)) break;
      this.gap = undefined;
      this.fromEmpty = false;
      cursor = row.seq;
      this.fanOut(row);
    }
    if (this.cursor !== undefined) this.cursor = cursor;
    return rows.length === batch && cursor !== start;
  }

  /** True when the hole after `cursor` has been open longer than the grace period. */
  private holeExpired(cursor: number): boolean {
    const t = this.now();
    if (!this.gap || this.gap.after !== cursor) this.gap = { after: cursor, since: t };
    return t - this.gap.since >= this.gapGraceMs;
  }

  private fanOut(row: StreamEntry): void {
    const set = this.subscribers.get(row.tenant_id);
    if (!set) return;
    for (const sub of set) {
      try {
        sub.deliver(row);
      } catch (err) {
        this.opts.logger.warn({ err, tenant: row.tenant_id }, 'Delivering a stream event failed');
      }
    }
  }
}
