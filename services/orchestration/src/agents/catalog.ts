import type { AgentType } from '@aegis/approvals';
import type { AgentDefinition } from './types';

/** The loaded agents: read-only, in a stable order (bundled order, then extra ones by id). */
export interface AgentCatalog {
  list(): readonly AgentDefinition[];
  byId(agentId: string): AgentDefinition | undefined;
  /** The agent of a type (the first in catalog order when a directory adds more of one type). */
  byType(agentType: string): AgentDefinition | undefined;
}

export function createAgentCatalog(agents: readonly AgentDefinition[]): AgentCatalog {
  const frozen = Object.freeze(agents.map((a) => deepFreeze(structuredClone(a))));
  return {
    list: () => frozen,
    byId: (id) => frozen.find((a) => a.agent_id === id),
    byType: (type) => frozen.find((a) => a.agent_type === (type as AgentType)),
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
