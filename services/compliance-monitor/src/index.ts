export { createApp, type AppDeps } from './app';
export { loadConfig, SERVICE_NAME, type Config } from './config';
export { COMPLIANCE_MIGRATIONS } from './store/migrations';
export { OPENAPI_INFO } from './routes/schemas';
export { recordAlerts, listAlerts, type Alert } from './store/alerts';
export { sweepOnce, tenantAlerts, type SweepDeps, type SweepIdentity } from './sweep/sweep';
export { createPublisher, type Publisher } from './sweep/publish';
export type { AlertDraft, Level } from './domain/alerts';
/** The compliance API's request and response schemas, for its callers (the orchestration's tools). */
export {
  dashboardAnswer,
  dashboardParams,
  dashboardQuery,
  deadlinesAnswer,
  deadlinesBody,
  productionAnswer,
  productionBody,
  riskAnswer,
  riskBody,
  ruleChangesAnswer,
  ruleChangesBody,
} from './routes/schemas';
