export { createApp, gatewayHealth, readiness, type GatewayDeps } from './app';
export { createGatewayHandler, type RequestHandler } from './proxied';
export type { GatewayState } from './state';
export { loadConfig, type GatewayConfig } from './config';
export {
  compileConfig,
  type GatewayConfigDocument,
  gatewayConfigDocumentSchema,
  type CompiledConfig,
} from './config-source/document';
export { ConfigHolder } from './config-source/holder';
export { createFileSource, readFileDocument } from './config-source/file-source';
export type { ConfigSource, ConfigSink, ReloadOutcome } from './config-source/source';
export {
  createKubernetesSource,
  type AppliedState,
  type KubernetesSource,
} from './config-source/kubernetes-source';
export { createReplicaLease } from './k8s/replica-lease';
export { RouteTable } from './routing/route-table';
export * from './ratelimit';
export { mergeOpenApi, undeclaredSecuritySchemes, type ServiceDocument } from './openapi/merge';
export { createGatewayMetrics, tenantLabel, type GatewayMetrics } from './metrics';
export { createUpstreamProxy, type UpstreamProxy } from './proxy/upstream-proxy';
export { outboundHeaders, forwardedFor, TrustedProxies } from './proxy/forwarding';
