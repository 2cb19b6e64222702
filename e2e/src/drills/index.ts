export * from './types';
export { forgedTokensDrill } from './forged-tokens';
export { redisOutageDrill } from './redis-outage';
export { sigtermDrill } from './sigterm';
export { slowClientsDrill } from './slow-clients';
export { upstreamFailuresDrill } from './upstream-failures';
