export { createApp, type AppDeps } from './app';
export { loadConfig, SERVICE_NAME, DEMO_TENANT, type Config } from './config';
export { migrateGraphStore, seedIfEmpty } from './wiring';
export { KG_MIGRATIONS } from './store/migrations';
export { LABELS, REL_TYPES, MAX_BATCH_ITEMS, MAX_DEPTH, isLabel, type Label } from './domain/labels';
export {
  normaliseApiNumber,
  formatApiNumber,
  looksLikeApiNumber,
  type ApiNumberResult,
} from './domain/api-number';
export { haversineMetres, boundingBox } from './domain/geo';
export { buildDemoDataset, type DemoDataset } from './domain/seed-data';
export {
  referenceReach,
  buildImpactTrees,
  type Direction,
  type NodeRef,
  type EdgeRef,
} from './domain/traversal';
export {
  entityItemSchema,
  edgeItemSchema,
  prepareEntity,
  prepareEdge,
  type EntityItem,
  type EdgeItem,
  type PreparedEntity,
  type PreparedEdge,
} from './domain/items';
export { applyItems, type ApplyCounts } from './store/apply';
export { prepareBatch } from './store/batch';
export { createImport, stageItems, commitImport, discardImport, purgeStaleImports } from './store/imports';
export { DirectImports, GRAPH_SQLITE_PAGE_SIZE } from './store/direct-import';
export { reach, edgesAmong, treeWalk } from './store/traverse';
export { TEMPLATES, TEMPLATE_IDS, templateById, findWell } from './store/templates';
export { assembleContext } from './store/context';
export { seedDemoData } from './store/seed';
export { getEntity, countEntities, ENTITY_TABLE_COLUMNS } from './store/entities';
export { EDGE_TABLE_COLUMNS } from './store/edges';
export { OPENAPI_INFO } from './routes/openapi';
