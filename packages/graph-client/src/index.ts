export * from './labels';
export * from './items';
export {
  createKnowledgeGraphClient,
  graphCaller,
  type GraphCaller,
  type KnowledgeGraphClient,
  type KnowledgeGraphClientOptions,
  type StageResult,
} from './client';
