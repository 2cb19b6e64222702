export * from './api/v1alpha1';
export { sampleFiles, type SampleFile } from './api/v1alpha1/samples';
export { operatorRbac, operatorRules, OPERATOR_SERVICE_ACCOUNT, type PolicyRule } from './rbac';
export { generatedFiles } from './generate';
export {
  CONFIG_HASH_ANNOTATION,
  configMapBytes,
  FIELD_MANAGER,
  FINALIZER,
  GATEWAY_LEASE_SELECTOR,
  gatewayConfigMap,
  gatewayDocument,
  tenantConfigMap,
  tenantConfigMapName,
  validateTenant,
  type GatewayDocument,
} from './controller/aegistenant/desired';
export { loadConfig, operatorEnvSchema, type OperatorConfig } from './config';
export { countTenantConditions, createOperatorMetrics, type OperatorMetrics } from './metrics';
export {
  ADMISSION_API_VERSION,
  reviewTenant,
  VALIDATE_PATH,
  validatingWebhookConfiguration,
  WEBHOOK_NAME,
} from './webhook';
