import { createHash } from 'node:crypto';
import type { BucketParams } from './bucket';
import { UNITS_PER_TOKEN } from './bucket';
import { bucketParts } from './result';
import type { LimitCheck } from './types';

/**
 * The check-and-consume of a batch of requests, atomically, in one script (the same arithmetic as
 * bucket.ts). The requests are decided one after the other in the order given, each all-or-nothing over
 * its own buckets, exactly as that many single calls at the same instant would decide them: a refused
 * request spends nothing, and each request sees what the ones before it took.
 *
 * KEYS[1..k]   the distinct bucket hashes { u = units, ts = last update in ms } the batch touches
 * ARGV[1]      units per token
 * ARGV[2]      '' to use the server clock (always, in production); a millisecond timestamp in tests
 * ARGV[3]      number of slots s: a slot is a bucket under one rule's parameters
 * ARGV[4..]    s triples (index into KEYS, capacity, rate)
 * ARGV[4 + 3s] the requests, as one string of comma-separated numbers: per request its number of
 *              buckets n, then n slot indices (one string, so a batch is a dozen arguments, not hundreds)
 *
 * Returns { now in ms, then per request: allowed (1|0) and the units of each of its buckets after its
 * decision }. Time comes from Redis TIME so gateway replicas with skewed clocks agree. Each bucket is
 * read once; a bucket is only written when a request took a token from it, once at the end, with a
 * PEXPIRE at the moment it would be full again (plus a second) computed with the parameters of the
 * last request that took from it: an idle bucket disappears, which is the same as a full one.
 */
export const CONSUME_SCRIPT = `
local unit = tonumber(ARGV[1])
local now
if ARGV[2] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[2])
end
local slots = tonumber(ARGV[3])
local skey = {}
local scap = {}
local srate = {}
for s = 1, slots do
  local p = 1 + 3 * s
  skey[s] = tonumber(ARGV[p])
  scap[s] = tonumber(ARGV[p + 1])
  srate[s] = tonumber(ARGV[p + 2])
end
local plan = {}
for v in string.gmatch(ARGV[4 + 3 * slots], '%d+') do plan[#plan + 1] = tonumber(v) end
local read = {}
local su = {}
local sts = {}
local taker = {}
local taken = {}
local out = { now }
local a = 1
while a <= #plan do
  local n = plan[a]
  local units = {}
  local stamps = {}
  local allowed = 1
  for i = 1, n do
    local s = plan[a + i]
    local k = skey[s]
    local cap = scap[s]
    if not read[k] then
      local v = redis.call('HMGET', KEYS[k], 'u', 'ts')
      su[k] = tonumber(v[1])
      sts[k] = tonumber(v[2])
      read[k] = true
    end
    local u = su[k]
    local ts = sts[k]
    if u == nil or ts == nil then
      u = cap
      ts = now
    end
    if now > ts then
      u = math.min(cap, u + (now - ts) * srate[s])
      ts = now
    end
    if u > cap then u = cap end
    units[i] = u
    stamps[i] = ts
    if u < unit then allowed = 0 end
  end
  out[#out + 1] = allowed
  for i = 1, n do
    local u = units[i]
    if allowed == 1 then
      local s = plan[a + i]
      local k = skey[s]
      u = u - unit
      su[k] = u
      sts[k] = stamps[i]
      if not taker[k] then taken[#taken + 1] = k end
      taker[k] = s
    end
    out[#out + 1] = u
  end
  a = a + n + 1
end
for _, k in ipairs(taken) do
  local s = taker[k]
  redis.call('HSET', KEYS[k], 'u', su[k], 'ts', sts[k])
  redis.call('PEXPIRE', KEYS[k], math.ceil((scap[s] - su[k]) / srate[s]) + 1000)
end
return out
`;

export const CONSUME_SCRIPT_SHA = createHash('sha1').update(CONSUME_SCRIPT).digest('hex');

/**
 * `<prefix>:{<tenant>}:<rule>:<identity>`. The tenant is the Redis Cluster hash tag, so every bucket
 * of one tenant (its identities, routes and tenant-wide ceiling) lives in one slot and one script can
 * take them all atomically. The parts are percent-encoded (see bucketParts), so no value can contain
 * a brace or a colon.
 */
export function redisKey(prefix: string, check: LimitCheck): string {
  const { tenant, rule, identity } = bucketParts(check);
  return `${prefix}:{${tenant}}:${rule}:${identity}`;
}

/** One request of a CONSUME_SCRIPT call: its buckets in its order. */
export interface ScriptRequest {
  /** An id per bucket that names it uniquely (e.g. its memory key); distinct within the request. */
  readonly ids: readonly string[];
  readonly params: readonly BucketParams[];
  /** The Redis key of bucket `i`; asked only for a bucket new to the call. */
  redisKey(i: number): string;
}

/**
 * The KEYS and ARGV of one CONSUME_SCRIPT call, built request by request. A bucket named by several
 * requests is one key, and one slot per set of parameters it is checked with (one, unless a reload
 * changed its rule while the batch was open).
 */
export class ScriptCall {
  readonly keys: string[] = [];
  /** Requests added so far. */
  requests = 0;
  private readonly now: number | '';
  /** (key index, capacity, rate) per slot, flat. */
  private readonly slots: number[] = [];
  private readonly slotIndex = new Map<string, number>();
  private readonly slotParams: BucketParams[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly plan: number[] = [];

  /** `now` only in tests (the script then uses it instead of Redis TIME). */
  constructor(now?: number) {
    this.now = now ?? '';
  }

  add(request: ScriptRequest): void {
    const { ids, params } = request;
    this.plan.push(ids.length);
    for (let i = 0; i < ids.length; i += 1) this.plan.push(this.slotOf(request, i, ids[i], params[i]));
    this.requests += 1;
  }

  /** ARGV: units per token, now, the slots and the plan. */
  argv(): Array<string | number> {
    return [UNITS_PER_TOKEN, this.now, this.slotParams.length, ...this.slots, this.plan.join(',')];
  }

  private slotOf(request: ScriptRequest, i: number, id: string, params: BucketParams): number {
    let slot = this.slotIndex.get(id);
    if (slot !== undefined && !sameParams(this.slotParams[slot - 1], params)) {
      // the bucket under other parameters: a slot of its own, found by id and parameters
      const variant = `${id}\n${params.capacity}\n${params.rate}`;
      slot = this.slotIndex.get(variant);
      if (slot === undefined) {
        slot = this.newSlot(request, i, id, params);
        this.slotIndex.set(variant, slot);
      }
      return slot;
    }
    if (slot === undefined) {
      slot = this.newSlot(request, i, id, params);
      this.slotIndex.set(id, slot);
    }
    return slot;
  }

  private newSlot(request: ScriptRequest, i: number, id: string, params: BucketParams): number {
    let k = this.keyIndex.get(id);
    if (k === undefined) {
      k = this.keys.push(request.redisKey(i));
      this.keyIndex.set(id, k);
    }
    this.slots.push(k, params.capacity, params.rate);
    return this.slotParams.push(params);
  }
}

function sameParams(a: BucketParams, b: BucketParams): boolean {
  return a === b || (a.capacity === b.capacity && a.rate === b.rate);
}

/** The arguments of CONSUME_SCRIPT after the keys for one request over KEYS[1..n]; `now` only in tests. */
export function scriptArgs(params: readonly BucketParams[], now?: number): string[] {
  const call = new ScriptCall(now);
  call.add({ ids: params.map((_, i) => String(i)), params, redisKey: () => '' });
  return call.argv().map(String);
}

export interface ScriptReply {
  allowed: boolean;
  now: number;
  units: number[];
}

function replyNumber(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new Error('Unexpected rate-limit script reply');
  return n;
}

/** Parses the reply of a call carrying requests of `buckets[i]` buckets each, in order; throws when it
 * is not the expected shape (a store error). */
export function parseBatchReply(reply: unknown, buckets: readonly number[]): ScriptReply[] {
  let expected = 1;
  for (const n of buckets) expected += n + 1;
  if (!Array.isArray(reply) || reply.length !== expected) {
    throw new Error('Unexpected rate-limit script reply');
  }
  const now = replyNumber(reply[0]);
  const out: ScriptReply[] = [];
  let at = 1;
  for (const n of buckets) {
    const allowed = replyNumber(reply[at]) === 1;
    const units: number[] = [];
    for (let i = 1; i <= n; i += 1) units.push(replyNumber(reply[at + i]));
    out.push({ allowed, now, units });
    at += n + 1;
  }
  return out;
}

/** Parses the reply of a call carrying one request of `buckets` buckets. */
export function parseReply(reply: unknown, buckets: number): ScriptReply {
  return parseBatchReply(reply, [buckets])[0];
}
