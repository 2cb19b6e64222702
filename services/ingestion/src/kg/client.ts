/** The knowledge-graph client ingestion uses is the shared one (@aegis/graph-client); this module keeps
 * the service's import path. */
export {
  createKnowledgeGraphClient,
  type GraphItems,
  type KnowledgeGraphClient,
  type KnowledgeGraphClientOptions,
  type StageResult,
} from '@aegis/graph-client';
