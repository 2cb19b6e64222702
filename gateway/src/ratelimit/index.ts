export * from './types';
export { UNITS_PER_TOKEN, paramsFor, consumeAll, type BucketParams, type BucketState } from './bucket';
export { createMemoryLimiter, type MemoryLimiterOptions } from './memory';
export { createRedisLimiter, type RedisLimiterOptions } from './redis';
export {
  CONSUME_SCRIPT,
  CONSUME_SCRIPT_SHA,
  ScriptCall,
  type ScriptRequest,
  type ScriptReply,
  redisKey,
  scriptArgs,
  parseReply,
  parseBatchReply,
} from './redis-script';
export { rateLimitHeaders, rateLimitedBody, type RateLimitedBody } from './headers';
