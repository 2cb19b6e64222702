import Redis from 'ioredis';
import { createMemoryLimiter } from './memory';
import type { BucketParams } from './bucket';
import { createScriptBatcher, StoreTimeout } from './redis-batch';
import {
  CONSUME_SCRIPT,
  CONSUME_SCRIPT_SHA,
  redisKey,
  type ScriptCall,
  type ScriptRequest,
} from './redis-script';
import { policyResult, prepareChecks, prepareChecksWithKeys, recordDecision, storeResult } from './result';
import type {
  FailurePolicy,
  LimitCheck,
  LimitResult,
  LimiterLogger,
  LimiterMetrics,
  LimiterStatus,
  RateLimiter,
} from './types';

export interface RedisLimiterOptions {
  /** redis://[user:password@]host:port[/db] (or rediss:// for TLS). */
  url: string;
  /** Longest a request waits on Redis before the failure policy decides (default 75 ms). */
  timeoutMs?: number;
  /** Most requests decided by one script call (default 256); see redis-batch.ts. */
  maxBatch?: number;
  /** Key prefix (default 'aegis:rl'). */
  keyPrefix?: string;
  /** The limiter LocalFallback delegates to (default: a memory limiter reporting 'fallback'). */
  fallback?: RateLimiter;
  /** Cap of the reconnect backoff (default 1000 ms). */
  maxReconnectDelayMs?: number;
  /** While degraded, how often a PING checks whether the store is back (default 500 ms). Requests
   * skip the store while it is degraded, so this bounds how long shared limiting takes to resume. */
  probeIntervalMs?: number;
  logger?: LimiterLogger;
  metrics?: LimiterMetrics;
}

type FailureReason = 'timeout' | 'unavailable' | 'error';

/** Rejects after `ms` unless the promise settles first; the late result is ignored. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreTimeout(ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function classify(err: unknown): FailureReason {
  if (err instanceof StoreTimeout) return 'timeout';
  const message = err instanceof Error ? err.message : String(err);
  if (/timed out/i.test(message)) return 'timeout';
  if (
    /enableOfflineQueue|Connection is closed|not writeable|ECONNREFUSED|ECONNRESET|EPIPE|max retries/i.test(
      message,
    )
  ) {
    return 'unavailable';
  }
  return 'error';
}

/** A consume() call waiting for its batch. */
class Queued implements ScriptRequest {
  constructor(
    readonly checks: readonly LimitCheck[],
    readonly params: readonly BucketParams[],
    /** The memory keys: one name per bucket, so a batch reads and writes each bucket once. */
    readonly ids: readonly string[],
    readonly policy: FailurePolicy,
    private readonly prefix: string,
    private readonly metrics: LimiterMetrics | undefined,
    private readonly resolve: (result: LimitResult) => void,
    readonly reject: (err: unknown) => void,
  ) {}

  redisKey(i: number): string {
    return redisKey(this.prefix, this.checks[i]);
  }

  /** Settles the call; an error here (a metrics backend that throws) fails this call alone, never
   * the batch it came with. */
  decided(result: LimitResult): void {
    try {
      recordDecision(this.metrics, result);
    } catch (err) {
      this.reject(err);
      return;
    }
    this.resolve(result);
  }
}

/**
 * A limiter shared by every gateway replica through Redis: one Lua script checks and consumes all of a
 * request's buckets atomically. The requests of one tenant that arrive while its previous call is in
 * flight go together in the next call, which decides them in arrival order exactly as single calls
 * would (redis-batch.ts). Nothing ever waits on Redis for longer than `timeoutMs`: there is no
 * offline queue (a command while disconnected fails at once), no per-command retry, no replay of
 * unanswered commands after a reconnect (a replay would spend tokens for a request already decided),
 * and every call races a deadline. After a failure the store is marked degraded and requests go
 * straight to the failure policy (a circuit breaker, so a hung Redis costs one timeout, not one per
 * request) until a background PING succeeds again. The caller's failure policy decides: Open admits,
 * Closed refuses (decidedBy 'closed'), LocalFallback asks the local memory limiter. The client keeps
 * reconnecting with capped backoff, so shared limiting resumes by itself when Redis is back.
 */
export function createRedisLimiter(opts: RedisLimiterOptions): RateLimiter {
  const timeoutMs = opts.timeoutMs ?? 75;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  const prefix = opts.keyPrefix ?? 'aegis:rl';
  const maxDelay = opts.maxReconnectDelayMs ?? 1000;
  const probeEvery = opts.probeIntervalMs ?? 500;
  const ownFallback = opts.fallback === undefined;
  const fallback = opts.fallback ?? createMemoryLimiter({ decidedBy: 'fallback' });
  const { logger, metrics } = opts;

  const client = new Redis(opts.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // The batcher sends one call per tenant and round trip; the calls of several tenants share one
    // write per event-loop tick. No commandTimeout: every call races its batch's deadline instead.
    enableAutoPipelining: true,
    connectTimeout: Math.max(1000, timeoutMs),
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  });

  let degraded = true; // until the first successful connection
  let closed = false;
  let probe: NodeJS.Timeout | undefined;

  function markOk(): void {
    if (!degraded) return;
    degraded = false;
    stopProbe();
    logger?.info({ store: 'redis' }, 'Rate-limit store became available');
  }

  function markDegraded(reason: FailureReason | 'disconnected', err?: unknown): void {
    if (degraded || closed) return;
    degraded = true;
    logger?.warn(
      { store: 'redis', reason, err: err instanceof Error ? err.message : undefined },
      'Rate-limit store became unavailable',
    );
    startProbe();
  }

  function startProbe(): void {
    if (probe || closed) return;
    probe = setInterval(() => {
      if (client.status !== 'ready') return; // the reconnect loop is still at work
      withDeadline(client.ping(), timeoutMs).then(markOk, () => undefined);
    }, probeEvery);
    probe.unref();
  }

  function stopProbe(): void {
    if (probe) clearInterval(probe);
    probe = undefined;
  }

  client.on('ready', () => {
    // Load the script once per connection; EVALSHA falls back to EVAL if it is missing anyway.
    withDeadline(client.script('LOAD', CONSUME_SCRIPT), Math.max(1000, timeoutMs)).then(
      () => markOk(),
      (err: unknown) =>
        logger?.warn(
          { store: 'redis', err: err instanceof Error ? err.message : String(err) },
          'Rate-limit script load failed',
        ),
    );
  });
  client.on('close', () => markDegraded('disconnected'));
  // Connection errors are reported through 'close' and the policy path; without a listener ioredis
  // would print every reconnect failure.
  client.on('error', () => undefined);
  client.connect().catch(() => undefined);
  startProbe();

  async function runScript(call: ScriptCall): Promise<unknown> {
    try {
      return await client.evalsha(CONSUME_SCRIPT_SHA, call.keys.length, ...call.keys, ...call.argv());
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return client.eval(CONSUME_SCRIPT, call.keys.length, ...call.keys, ...call.argv());
      }
      throw err;
    }
  }

  /** The failure policy's decision when it needs no waiting (Open, Closed, or a fallback that answers
   * at once); undefined when the fallback must be awaited. */
  function failureNow(checks: readonly LimitCheck[], policy: FailurePolicy): LimitResult | undefined {
    switch (policy) {
      case 'Open':
        return policyResult(checks, 'open');
      case 'Closed':
        return policyResult(checks, 'closed');
      case 'LocalFallback': {
        const result = fallback.consumeNow?.(checks, policy);
        return result && { ...result, decidedBy: 'fallback' };
      }
    }
  }

  /** Settles a request by the failure policy (the store is down, hanging, or failed it). */
  function byPolicy(request: Queued): void {
    let now: LimitResult | undefined;
    try {
      now = failureNow(request.checks, request.policy);
    } catch (err) {
      request.reject(err);
      return;
    }
    if (now) {
      request.decided(now);
      return;
    }
    fallback.consume(request.checks, request.policy).then(
      (result) => request.decided({ ...result, decidedBy: 'fallback' }),
      (err: unknown) => request.reject(err),
    );
  }

  const skipsStore = () => degraded || client.status !== 'ready';

  const batcher = createScriptBatcher<Queued>({
    timeoutMs,
    maxRequests: opts.maxBatch ?? 256,
    send: runScript,
    skipsStore,
    answered(requests, replies) {
      markOk();
      requests.forEach((request, i) => {
        const reply = replies[i];
        let result: LimitResult;
        try {
          result = storeResult(request.checks, request.params, reply.units, reply.allowed, 'store');
        } catch (err) {
          request.reject(err);
          return;
        }
        request.decided(result);
      });
    },
    failed(requests, err) {
      const reason = classify(err);
      markDegraded(reason, err);
      for (const request of requests) {
        metrics?.storeErrors?.inc({ reason });
        byPolicy(request);
      }
    },
    // Known to be down or hanging: do not make these requests wait; the probe detects recovery.
    skipped: (requests) => requests.forEach(byPolicy),
  });

  function consume(checks: readonly LimitCheck[], policy: FailurePolicy): Promise<LimitResult> {
    return new Promise((resolve, reject) => {
      const { params, keys } = prepareChecksWithKeys(checks);
      if (closed) throw new Error('Rate limiter is closed');
      const request = new Queued(checks, params, keys, policy, prefix, metrics, resolve, reject);
      // One batch per tenant: the tenant is the keys' Redis Cluster hash tag (see redisKey).
      if (skipsStore()) byPolicy(request);
      else batcher.add(checks[0].tenantId, request);
    });
  }

  return {
    consume,
    consumeNow(checks: readonly LimitCheck[], policy: FailurePolicy): LimitResult | undefined {
      // The store is asked through consume(); a closed limiter answers there (it throws).
      if (closed || !skipsStore()) return undefined;
      prepareChecks(checks);
      const result = failureNow(checks, policy);
      if (result) recordDecision(metrics, result);
      return result;
    },
    status: (): LimiterStatus => (skipsStore() ? 'degraded' : 'ok'),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stopProbe();
      client.disconnect();
      if (ownFallback) await fallback.close();
    },
  };
}
