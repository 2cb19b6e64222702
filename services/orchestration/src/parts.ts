import type { Logger } from '@aegis/common';
import type { Registry } from 'prom-client';
import { loadAgents } from './agents';
import type { Config } from './config';
import { createDeterministicPlanner } from './planner/deterministic';
import { createModelMetrics, createModelPlanner } from './planner/model';
import { selectSkills, skillManifests } from './skills';
import { buildToolRegistry, createPlatformClients, toolSpecs } from './tools';
import type { OrchestrationParts } from './wiring';

/**
 * The real parts of a running service: the tool registry, the agent definitions (bundled, plus
 * AGENTS_DIR; a bad file stops the start naming the file and field), the skill library, the platform
 * clients of the tools, and the planner: the model planner when LLM_BASE_URL is set, else the
 * deterministic one (offline), its metrics on the service's registry.
 */
export function buildParts(config: Config, logger: Logger, registry: Registry): OrchestrationParts {
  const tools = buildToolRegistry();
  return {
    tools,
    catalog: loadAgents(config.agentsDir),
    toolSpecs: (names) => toolSpecs(tools, names),
    skills: {
      manifests: (agent) => skillManifests(agent),
      select: (input) => selectSkills(input),
    },
    planner: config.llm
      ? createModelPlanner(config.llm, { logger, metrics: createModelMetrics(registry) })
      : createDeterministicPlanner(),
    clients: createPlatformClients({
      urls: {
        knowledgeGraph: config.knowledgeGraphUrl,
        flaringMonitor: config.flaringMonitorUrl,
        complianceMonitor: config.complianceMonitorUrl,
      },
      timeoutMs: config.toolTimeoutMs,
    }),
  };
}
