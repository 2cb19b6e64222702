import { paramsFor } from './bucket';
import { createScriptBatcher, StoreTimeout, type ScriptBatcherOptions } from './redis-batch';
import type { ScriptCall, ScriptReply, ScriptRequest } from './redis-script';

interface Req extends ScriptRequest {
  name: string;
}

const p = paramsFor(60, 5);

function req(name: string, ...buckets: string[]): Req {
  return { name, ids: buckets, params: buckets.map(() => p), redisKey: (i) => `k:${buckets[i]}` };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A reply in the script's shape: now, then per request allowed and its buckets' units. */
function replyFor(call: ScriptCall, allowed: (request: number) => boolean): unknown[] {
  const out: unknown[] = [1000];
  const argv = call.argv();
  const plan = String(argv[argv.length - 1])
    .split(',')
    .map(Number);
  for (let r = 0, at = 0; r < call.requests; r += 1) {
    const n = plan[at];
    out.push(allowed(r) ? 1 : 0, ...Array.from({ length: n }, () => 60_000));
    at += 1 + n;
  }
  return out;
}

interface Sent {
  call: ScriptCall;
  resolve(reply: unknown): void;
  reject(err: Error): void;
}

/** Every call a test left unanswered, answered after it (so no deadline timer outlives the test). */
const unanswered: Sent[] = [];
afterEach(async () => {
  for (const s of unanswered.splice(0)) s.resolve(replyFor(s.call, () => true));
  await settled();
});

/** A batcher whose store calls the test answers by hand; events are recorded in order. */
function harness(overrides: Partial<ScriptBatcherOptions<Req>> = {}) {
  const sent: Sent[] = [];
  const events: string[] = [];
  let skip = false;
  const batcher = createScriptBatcher<Req>({
    timeoutMs: 60_000,
    maxRequests: 100,
    send: (call) =>
      new Promise((resolve, reject) => {
        sent.push({ call, resolve, reject });
        unanswered.push({ call, resolve, reject });
      }),
    skipsStore: () => skip,
    answered: (requests, replies: readonly ScriptReply[]) =>
      requests.forEach((r, i) => events.push(`${r.name}:${replies[i].allowed ? 'allowed' : 'denied'}`)),
    failed: (requests, err) =>
      requests.forEach((r) =>
        events.push(`${r.name}:failed:${err instanceof StoreTimeout ? 'timeout' : String(err)}`),
      ),
    skipped: (requests) => requests.forEach((r) => events.push(`${r.name}:skipped`)),
    ...overrides,
  });
  return { batcher, sent, events, skipStore: (v: boolean) => (skip = v) };
}

describe('createScriptBatcher', () => {
  it('sends the requests of one event-loop turn as one call, in arrival order, each bucket once', async () => {
    const { batcher, sent, events } = harness();
    batcher.add('acme', req('r1', 'a', 't'));
    batcher.add('acme', req('r2', 'b', 't'));
    batcher.add('acme', req('r3', 'a'));
    expect(sent).toHaveLength(0);
    await turn();
    expect(sent).toHaveLength(1);
    const { call } = sent[0];
    expect(call.keys).toEqual(['k:a', 'k:t', 'k:b']);
    const c = p.capacity;
    const r = p.rate;
    // units per token, '' (server clock), 3 slots (key index, capacity, rate), then per request
    // its number of buckets and their slots
    expect(call.argv()).toEqual([60_000, '', 3, 1, c, r, 2, c, r, 3, c, r, '2,1,2,2,3,2,1,1']);
    sent[0].resolve(replyFor(call, (i) => i !== 1));
    await settled();
    expect(events).toEqual(['r1:allowed', 'r2:denied', 'r3:allowed']);
  });

  it('holds the requests that arrive while a call is in flight and sends them together after it', async () => {
    const { batcher, sent, events } = harness();
    batcher.add('acme', req('r1', 'a'));
    await turn();
    for (const name of ['r2', 'r3', 'r4']) {
      batcher.add('acme', req(name, 'a'));
      await turn();
    }
    expect(sent).toHaveLength(1);
    sent[0].resolve(replyFor(sent[0].call, () => true));
    await settled();
    await turn();
    expect(sent).toHaveLength(2);
    expect(sent[1].call.requests).toBe(3);
    sent[1].resolve(replyFor(sent[1].call, (i) => i === 0));
    await settled();
    expect(events).toEqual(['r1:allowed', 'r2:allowed', 'r3:denied', 'r4:denied']);
  });

  it('sends a full batch at once, without waiting for the call in flight', async () => {
    const { batcher, sent } = harness({ maxRequests: 2 });
    batcher.add('acme', req('r1', 'a'));
    await turn();
    batcher.add('acme', req('r2', 'a'));
    expect(sent).toHaveLength(1);
    batcher.add('acme', req('r3', 'a'));
    expect(sent.map((s) => s.call.requests)).toEqual([1, 2]);
  });

  it('gives a bucket checked under other parameters (a reload while the batch was open) a slot of its own', async () => {
    const { batcher, sent } = harness();
    const reloaded = paramsFor(120, 7);
    batcher.add('acme', req('r1', 'a'));
    batcher.add('acme', { ...req('r2', 'a'), params: [reloaded] });
    batcher.add('acme', req('r3', 'a'));
    await turn();
    const { call } = sent[0];
    expect(call.keys).toEqual(['k:a']);
    expect(call.argv()).toEqual([
      60_000,
      '',
      2,
      ...[1, p.capacity, p.rate],
      ...[1, reloaded.capacity, reloaded.rate],
      '1,1,1,2,1,1',
    ]);
  });

  it('makes one call per group (tenant), so every call stays within one hash tag', async () => {
    const { batcher, sent } = harness();
    batcher.add('acme', req('r1', 'acme-a'));
    batcher.add('globex', req('r2', 'globex-a'));
    batcher.add('acme', req('r3', 'acme-b'));
    await turn();
    expect(sent.map((s) => s.call.keys)).toEqual([['k:acme-a', 'k:acme-b'], ['k:globex-a']]);
  });

  it('fails every request of a batch whose deadline passed, ignores the late reply and sends the next batch', async () => {
    const { batcher, sent, events } = harness({ timeoutMs: 20 });
    batcher.add('acme', req('r1', 'a'));
    batcher.add('acme', req('r2', 'a'));
    await turn();
    batcher.add('acme', req('r3', 'a')); // waits for the batch in flight
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(events).toEqual(['r1:failed:timeout', 'r2:failed:timeout', 'r3:failed:timeout']);
    sent[0].resolve(replyFor(sent[0].call, () => true)); // too late: ignored
    // r3's batch may have been sent before its own deadline passed, or not (timers vs. the next turn):
    // either way it failed, and r4 goes in a call of its own although the first one never answered.
    const before = sent.length;
    batcher.add('acme', req('r4', 'a'));
    await turn();
    expect(sent).toHaveLength(before + 1);
    const r4 = sent[before];
    expect(r4.call.requests).toBe(1);
    r4.resolve(replyFor(r4.call, () => true));
    await settled();
    expect(events.slice(3)).toEqual(['r4:allowed']);
  });

  it('fails the whole batch on a store error or a reply of the wrong shape', async () => {
    const { batcher, sent, events } = harness();
    batcher.add('acme', req('r1', 'a'));
    batcher.add('acme', req('r2', 'b'));
    await turn();
    sent[0].reject(new Error('ECONNRESET'));
    await settled();
    batcher.add('acme', req('r3', 'a'));
    await turn();
    sent[1].resolve([1000, 1]); // one value short
    await settled();
    expect(events).toEqual([
      'r1:failed:Error: ECONNRESET',
      'r2:failed:Error: ECONNRESET',
      'r3:failed:Error: Unexpected rate-limit script reply',
    ]);
  });

  it('does not send a batch while the store is skipped: its requests go to skipped()', async () => {
    const { batcher, sent, events, skipStore } = harness();
    batcher.add('acme', req('r1', 'a'));
    skipStore(true);
    await turn();
    expect(sent).toHaveLength(0);
    expect(events).toEqual(['r1:skipped']);
  });
});
