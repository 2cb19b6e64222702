import { createHash } from 'node:crypto';
import type { BucketParams } from './bucket';
import { UNITS_PER_TOKEN } from './bucket';
import { bucketParts } from './result';
import type { LimitCheck } from './types';

/**
 * The whole check-and-consume, atomically, in one script (the same arithmetic as bucket.ts).
 *
 * KEYS[1..n]  bucket hashes { u = units, ts = last update in ms }
 * ARGV[1]     units per token
 * ARGV[2]     '' to use the server clock (always, in production); a millisecond timestamp in tests
 * ARGV[3..]   capacity and rate of each bucket, in KEYS order
 *
 * Returns { allowed (1|0), now in ms, units of bucket 1 after the decision, ..., units of bucket n }.
 * Time comes from Redis TIME so gateway replicas with skewed clocks agree. A bucket is only written
 * when a token is taken, with a PEXPIRE at the moment it would be full again (plus a second): an idle
 * bucket disappears, which is the same as a full one.
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
local n = #KEYS
local units = {}
local stamps = {}
local allowed = 1
for i = 1, n do
  local cap = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  local v = redis.call('HMGET', KEYS[i], 'u', 'ts')
  local u = tonumber(v[1])
  local ts = tonumber(v[2])
  if u == nil or ts == nil then
    u = cap
    ts = now
  end
  if now > ts then
    u = math.min(cap, u + (now - ts) * rate)
    ts = now
  end
  if u > cap then u = cap end
  units[i] = u
  stamps[i] = ts
  if u < unit then allowed = 0 end
end
local out = { allowed, now }
for i = 1, n do
  local u = units[i]
  if allowed == 1 then
    local cap = tonumber(ARGV[1 + 2 * i])
    local rate = tonumber(ARGV[2 + 2 * i])
    u = u - unit
    redis.call('HSET', KEYS[i], 'u', u, 'ts', stamps[i])
    redis.call('PEXPIRE', KEYS[i], math.ceil((cap - u) / rate) + 1000)
  end
  out[2 + i] = u
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

/** The arguments of CONSUME_SCRIPT after the keys; `now` only in tests. */
export function scriptArgs(params: readonly BucketParams[], now?: number): string[] {
  const args = [String(UNITS_PER_TOKEN), now === undefined ? '' : String(now)];
  for (const p of params) args.push(String(p.capacity), String(p.rate));
  return args;
}

export interface ScriptReply {
  allowed: boolean;
  now: number;
  units: number[];
}

/** Parses the script's reply; throws when it is not the expected shape (a store error). */
export function parseReply(reply: unknown, buckets: number): ScriptReply {
  if (!Array.isArray(reply) || reply.length !== buckets + 2) {
    throw new Error('Unexpected rate-limit script reply');
  }
  const values = reply.map((v: unknown) => (typeof v === 'number' ? v : Number(v)));
  if (values.some((v) => !Number.isFinite(v))) throw new Error('Unexpected rate-limit script reply');
  return { allowed: values[0] === 1, now: values[1], units: values.slice(2) };
}
