import { backoffDelay, type BackoffOptions } from '@aegis/kube';

export interface ReconcileResult {
  /** Reconcile again after this long even without a change (e.g. a gateway lease expiring). */
  requeueAfterMs?: number;
}

export interface WorkQueueOptions {
  /** How many keys are processed at once (never the same key twice at once). */
  concurrency: number;
  /** Backoff for a key whose processing failed, by consecutive failures. */
  backoff: BackoffOptions;
  process: (key: string) => Promise<ReconcileResult | void>;
  /** Told about every outcome, for metrics and logs. */
  onDone?: (key: string, outcome: 'success' | 'error', error?: unknown, durationMs?: number) => void;
  onDepth?: (depth: number) => void;
}

/**
 * A per-key work queue, as client-go's: a key is queued at most once; a key that changes while it is
 * being processed is processed once more afterwards (never concurrently); failures requeue with
 * capped exponential backoff per key; one failing key never holds up the others. Paused, it keeps
 * collecting keys but processes none (a replica that is not the leader).
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private active = 0;
  private paused = true;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkQueueOptions) {}

  get depth(): number {
    return this.queue.length;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.options.onDepth?.(this.queue.length);
    this.pump();
  }

  /** Adds the key after `ms`; an earlier pending time for the key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Forgets a key's failure count (it was deleted, say). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  pause(): void {
    this.paused = true;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Stops taking work and waits for the keys in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.idle();
  }

  /** Resolves when nothing is in progress. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.paused && !this.stopped && this.active < this.options.concurrency && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.options.onDepth?.(this.queue.length);
      this.active++;
      this.processing.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    // Reconciles are level-based: this run decides afresh whether (and when) the key needs another,
    // so a delayed add still pending for it is moot (a grace period that ended early, say).
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending.timer);
      this.timers.delete(key);
    }
    const started = Date.now();
    let requeueAfter: number | undefined;
    try {
      const result = await this.options.process(key);
      this.failures.delete(key);
      requeueAfter = result?.requeueAfterMs;
      this.options.onDone?.(key, 'success', undefined, Date.now() - started);
    } catch (err) {
      const n = this.failures.get(key) ?? 0;
      this.failures.set(key, n + 1);
      requeueAfter = backoffDelay(n, this.options.backoff);
      this.options.onDone?.(key, 'error', err, Date.now() - started);
    } finally {
      this.active--;
      this.processing.delete(key);
    }
    if (this.dirty.delete(key)) this.add(key);
    else if (requeueAfter !== undefined) this.addAfter(key, requeueAfter);
    if (this.active === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
    this.pump();
  }
}
