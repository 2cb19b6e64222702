export { loadAgents, parseAgentDefinition, AgentDefinitionError, type LoadAgentsOptions } from './loader';
export { createAgentCatalog, type AgentCatalog } from './catalog';
export { agentDefinitionSchema } from './schema';
export { BUNDLED_DEFINITIONS } from './definitions';
export type { AgentDefinition, Skill, SkillManifest, Budget } from './types';
