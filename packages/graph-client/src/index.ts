export * from './labels';
export * from './items';
export * from './production';
export {
  callerRequest,
  detailOf,
  refusedFor,
  type CallerRequest,
  type JsonReply,
  type Upstream,
} from './http';
export {
  createKnowledgeGraphClient,
  graphCaller,
  knowledgeGraphClientOf,
  type GraphCaller,
  type KnowledgeGraphClient,
  type KnowledgeGraphClientOptions,
  type ProductionResult,
  type StageResult,
} from './client';
