import { parseBatchReply, ScriptCall, type ScriptReply, type ScriptRequest } from './redis-script';

/** The deadline of a store call passed before its reply came. */
export class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`Rate-limit store did not answer within ${ms} ms`);
  }
}

export interface ScriptBatcherOptions<Q extends ScriptRequest> {
  /** Longest a request waits, counted from when its batch opened (so never longer from its arrival). */
  timeoutMs: number;
  /** Most requests in one call; a full batch is sent without waiting for the one in flight. */
  maxRequests: number;
  /** Sends one script call; settles with its raw reply. */
  send(call: ScriptCall): Promise<unknown>;
  /** Asked just before a batch is sent: true sends it to skipped() instead (the store is down). */
  skipsStore(): boolean;
  /** The store decided: replies[i] is requests[i]'s decision. */
  answered(requests: readonly Q[], replies: readonly ScriptReply[]): void;
  /** The call failed, its reply was malformed, or the deadline passed (a StoreTimeout). */
  failed(requests: readonly Q[], err: unknown): void;
  skipped(requests: readonly Q[]): void;
}

export interface ScriptBatcher<Q extends ScriptRequest> {
  /** Queues a request; `group` is its Redis Cluster hash tag (the tenant): one call per group. */
  add(group: string, request: Q): void;
}

interface Batch<Q> {
  readonly group: Group<Q>;
  readonly call: ScriptCall;
  readonly requests: Q[];
  timer: NodeJS.Timeout | undefined;
  sent: boolean;
  done: boolean;
}

interface Group<Q> {
  readonly name: string;
  pending: Batch<Q> | undefined;
  /** Batches sent and neither answered nor past their deadline. */
  inFlight: number;
  scheduled: boolean;
}

/**
 * Exact micro-batching of the limiter's store calls. The requests of a group that arrive while a call
 * of that group is in flight (or within the same event-loop turn, when none is) are sent as ONE call of
 * the consume script, which decides them in arrival order, each all-or-nothing, exactly as that many
 * single calls would. Each batch has one deadline, started when it opened: when it passes, every
 * request of the batch goes to failed() with a StoreTimeout and a late reply is ignored. So one store
 * round trip, one command, one reply parse and one timer serve a whole batch instead of one request.
 */
export function createScriptBatcher<Q extends ScriptRequest>(
  opts: ScriptBatcherOptions<Q>,
): ScriptBatcher<Q> {
  const { timeoutMs, maxRequests } = opts;
  const groups = new Map<string, Group<Q>>();

  function open(group: Group<Q>): Batch<Q> {
    const batch: Batch<Q> = {
      group,
      call: new ScriptCall(),
      requests: [],
      timer: undefined,
      sent: false,
      done: false,
    };
    batch.timer = setTimeout(expire, timeoutMs, batch);
    return batch;
  }

  /** Once nothing is pending or in flight, the group is forgotten (groups come and go with tenants). */
  function next(group: Group<Q>): void {
    if (group.pending) {
      if (group.inFlight === 0) schedule(group);
    } else if (group.inFlight === 0 && !group.scheduled) {
      groups.delete(group.name);
    }
  }

  function finish(batch: Batch<Q>): boolean {
    if (batch.done) return false;
    batch.done = true;
    clearTimeout(batch.timer);
    if (batch.sent) batch.group.inFlight -= 1;
    return true;
  }

  function expire(batch: Batch<Q>): void {
    const { group } = batch;
    if (!finish(batch)) return;
    if (group.pending === batch) group.pending = undefined;
    opts.failed(batch.requests, new StoreTimeout(timeoutMs));
    next(group);
  }

  function schedule(group: Group<Q>): void {
    if (group.scheduled) return;
    group.scheduled = true;
    setImmediate(flush, group);
  }

  function flush(group: Group<Q>): void {
    group.scheduled = false;
    if (group.inFlight === 0 && group.pending) send(group.pending);
    else next(group);
  }

  function send(batch: Batch<Q>): void {
    const { group } = batch;
    group.pending = undefined;
    if (opts.skipsStore()) {
      finish(batch);
      opts.skipped(batch.requests);
      next(group);
      return;
    }
    batch.sent = true;
    group.inFlight += 1;
    opts.send(batch.call).then(
      (reply) => {
        if (!finish(batch)) return;
        let replies: ScriptReply[];
        try {
          replies = parseBatchReply(
            reply,
            batch.requests.map((r) => r.ids.length),
          );
        } catch (err) {
          opts.failed(batch.requests, err);
          next(group);
          return;
        }
        opts.answered(batch.requests, replies);
        next(group);
      },
      (err: unknown) => {
        if (!finish(batch)) return;
        opts.failed(batch.requests, err);
        next(group);
      },
    );
  }

  return {
    add(name: string, request: Q): void {
      let group = groups.get(name);
      if (!group) {
        group = { name, pending: undefined, inFlight: 0, scheduled: false };
        groups.set(name, group);
      }
      const batch = (group.pending ??= open(group));
      batch.call.add(request);
      batch.requests.push(request);
      if (batch.requests.length >= maxRequests) send(batch);
      else if (group.inFlight === 0) schedule(group);
    },
  };
}
