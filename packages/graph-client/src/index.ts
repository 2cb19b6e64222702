export * from './labels';
export * from './items';
export * from './production';
export {
  createKnowledgeGraphClient,
  graphCaller,
  type GraphCaller,
  type KnowledgeGraphClient,
  type KnowledgeGraphClientOptions,
  type ProductionResult,
  type StageResult,
} from './client';
