export { demoScenario, type DemoScenario } from './scenario';
export {
  AUTHORIZATION_DAYS,
  buildDemoDataset,
  buildDemoGraph,
  type DemoAuthorization,
  type DemoDataset,
  type DemoGraph,
  type DemoWell,
} from './graph';
export { buildFlareEvents, UNAUTHORIZED_FLARING, VOLUME_SHARES, type DemoFlareEvent } from './flaring';
export { buildProduction, PRODUCTION_ANOMALIES, PRODUCTION_MONTHS, type DemoProduction } from './production';
