import type { ServiceKit } from '@aegis/common';
import { createKnowledgeGraphClient, type KnowledgeGraphClient } from '@aegis/graph-client';
import type { Config } from './config';

/** The knowledge-graph client of the running service (wells and authorisations are read through the
 * graph's API with the caller's token, never from its tables). */
export function knowledgeGraphClient(kit: ServiceKit<Config>): KnowledgeGraphClient {
  return createKnowledgeGraphClient({
    baseUrl: kit.config.knowledgeGraphUrl,
    timeoutMs: kit.config.kgTimeoutMs,
    commitTimeoutMs: kit.config.kgTimeoutMs,
    logger: kit.logger,
  });
}
