export * from './types';
export * from './backoff';
export * from './resources';
export * from './transport';
export { createRestKubeApi, type RestClientOptions, type RestKubeApi } from './rest';
export {
  Informer,
  WATCH_RESTART_REASONS,
  type InformerHandlers,
  type InformerOptions,
  type WatchRestartReason,
} from './informer';
export { LeaderElector, microTime, type LeaderElectionOptions } from './leader';
