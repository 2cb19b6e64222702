import type { OutboxSignal } from '@aegis/approvals';
import type { ApprovalsClient } from '@aegis/approvals';
import type { Logger } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { MemoryClient } from '@aegis/memory';
import type { AgentDefinition, Skill, SkillManifest } from '../agents/types';
import type { AgentCatalog } from '../agents/catalog';
import type { Planner, ToolSpec } from '../planner/types';
import type { OrchestrationStore } from '../store/schema';
import type { RunMetrics } from './metrics';
import type { PlatformClients, ToolRegistry, ToolRules } from '../tools/types';

export type { AgentCatalog } from '../agents/catalog';

/** What the engine asks of the skill library. */
export interface SkillLibrary {
  /** The one-line manifests of the skills offered to the agent (always given to the planner). */
  manifests(agent: AgentDefinition): SkillManifest[];
  /** The skills to inject for this request, never one of `alreadyInjected`. */
  select(input: {
    agent: AgentDefinition;
    userMessage: string;
    toolNames: string[];
    alreadyInjected: string[];
  }): Skill[];
}

/** The memory calls a run makes (working memory, episodes, the injection ledger). */
export type MemoryPort = Pick<
  MemoryClient,
  | 'getWorkingMemory'
  | 'putWorkingMemory'
  | 'searchEpisodes'
  | 'storeEpisode'
  | 'injectedSkills'
  | 'markSkills'
>;

/** The approvals calls a run makes: stop at a checkpoint, read the decision, follow the outbox. */
export type ApprovalsPort = Pick<ApprovalsClient, 'create' | 'get' | 'outbox'>;

export interface EngineDeps {
  store: OrchestrationStore;
  catalog: AgentCatalog;
  tools: ToolRegistry;
  /** The tools as offered to the planner (JSON schema of their inputs). */
  toolSpecs(names: readonly string[]): ToolSpec[];
  skills: SkillLibrary;
  planner: Planner;
  clients: PlatformClients;
  /** The tenant's active rule versions the tools compute with (absent: the bundled values). */
  rules?: ToolRules;
  /** The token and tenant downstream calls of a run use (the service identity on the run's tenant). */
  caller(tenantId: string): Promise<GraphCaller>;
  memory: MemoryPort;
  approvals: ApprovalsPort;
  /** Wakes this process's conversation streams when an event of a conversation is stored. */
  events: OutboxSignal;
  logger: Logger;
  now: () => number;
  /** Counts runs by the status they reach (absent in tests that do not look). */
  metrics?: RunMetrics;
  /** Planner turns of the plan phase before the run goes to synthesis (default 6). */
  maxPlanTurns?: number;
  /** Earlier messages of the conversation given to the planner (default 20). */
  historyMessages?: number;
}

/** The key of a conversation's event signal. */
export const conversationKey = (tenant: string, conversationId: string): string =>
  `${tenant}/${conversationId}`;
