export { createApp, MAX_RECORDS_PER_REQUEST, type AppDeps, type AppConfig } from './app';
export { loadConfig, SERVICE_NAME, DEFAULT_SAMPLES_DIR, type Config } from './config';
export { INGESTION_MIGRATIONS } from './store/migrations';
export {
  createFlaringMonitorClient,
  type FlareEventInput,
  type FlareEventResult,
  type FlaringMonitorClient,
} from './ingest/flaring-client';
export { DATA_TYPES, MODES, FIELD_SPECS, type DataType, type Mode } from './domain/datatypes';
export { normaliseHeader, mapHeaders } from './domain/headers';
export { compileRowValidator } from './domain/validate';
export {
  toGraphItems,
  REL,
  DATA_TYPE_LABEL,
  MAX_ITEMS_PER_ROW,
  type EntityItem,
  type EdgeItem,
} from './domain/graph-items';
export { generateRrcSamples, type RrcSamples } from './domain/rrc-samples';
export { OPENAPI_INFO } from './routes';
export {
  createJob,
  finishJob,
  getJob,
  listJobs,
  recordProgress,
  JOB_KINDS,
  JOB_STATUSES,
  type JobRecord,
  type JobKind,
  type JobStatus,
} from './store/jobs';
