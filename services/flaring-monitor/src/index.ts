export { createApp, type AppDeps } from './app';
export { loadConfig, SERVICE_NAME, type Config } from './config';
export { FLARING_MIGRATIONS, FLARE_EVENT_MIGRATIONS } from './store/migrations';
export type { FlaringDatabase, FlaringDb, FlaringStore } from './store/schema';
export { OPENAPI_INFO } from './routes/openapi';
