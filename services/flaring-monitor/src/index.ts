export { createApp, type AppDeps } from './app';
export { loadConfig, SERVICE_NAME, type Config } from './config';
export { FLARING_MIGRATIONS, FLARE_EVENT_MIGRATIONS } from './store/migrations';
export type { FlaringDatabase, FlaringDb, FlaringStore } from './store/schema';
export { OPENAPI_INFO } from './routes/openapi';
export { assess, assessTenant, type Assessment, type AssessScope } from './flaring/assess';
export type { FlaringDeps } from './flaring/deps';
export {
  RULE_32,
  NSPS_OOOOB,
  type AlertDraft,
  type AlertLevel,
  type AuthorizationAssessment,
} from './domain/rule32';
export { estimateEmissions, type Emissions } from './domain/emissions';
export { EMISSION_FACTORS, DEFAULT_COMPOSITION } from './domain/emission-factors';
export { ingestReadings, type Reading, type ReadingResult } from './flaring/ingest';
export { createFlareEvent } from './flaring/flare-events';
export type { FlareEvent } from './store/flare-events';
/** The flaring API's request and response schemas, for its callers (the orchestration's tools). */
export {
  assessInput,
  assessmentSchema,
  burnRateQuery,
  burnRateSchema,
  emissionsInput,
  emissionsSchema,
  forecastInput,
  forecastListSchema,
  r32Input,
  r32ResultSchema,
} from './routes/schemas';
