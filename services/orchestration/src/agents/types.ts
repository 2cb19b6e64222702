import type { AgentType, CheckpointType } from '@aegis/approvals';

/** A token and cost ceiling (a run's or a day's). */
export interface Budget {
  tokens: number;
  cost_usd: number;
}

/**
 * One agent as data: a versioned definition file under `agents/definitions/` (validated at start by
 * the loader, which owns the zod schema of this shape).
 */
export interface AgentDefinition {
  agent_id: string;
  agent_type: AgentType;
  /** Bumped on every change of the file; recorded on each run. */
  version: number;
  name: string;
  description: string;
  model: {
    /** The primary model name (LLM_MODEL overrides it). */
    primary: string;
    /** The cheaper model tried when the primary keeps failing (LLM_FALLBACK_MODEL overrides it). */
    fallback?: string;
    temperature: number;
    /** Completion tokens per model turn. */
    max_tokens: number;
  };
  /** The system prompt of the model planner. */
  system_prompt: string;
  /** Names of tools of the tool registry this agent may call. */
  tools: string[];
  /** Ids of skills of the skill library offered to this agent. */
  skills: string[];
  /** Checkpoints its mutating tools stop at (a subset of the approvals service's table). */
  approval_checkpoints: CheckpointType[];
  budgets: { per_run: Budget; per_day: Budget };
  /** Monitoring agents run on a schedule per tenant. */
  schedule?: {
    /** The request a scheduled run answers (the `user_message` of the run). */
    prompt: string;
    /** Raise a `compliance_alert` approval when the run finds critical alerts. */
    raise_alert_approval: boolean;
  };
}

/** The one-line skill manifest always offered to the planner. */
export interface SkillManifest {
  skill_id: string;
  version: number;
  name: string;
  /** One line: what the skill is for. */
  summary: string;
}

/** A skill in tiers: manifest (always offered), definition (injected when selected), artifacts. */
export interface Skill extends SkillManifest {
  /** Words / patterns of a request or of tool names that select the skill (deterministic selection). */
  triggers: { keywords: string[]; tools: string[] };
  definition: {
    steps: string[];
    requirements: string[];
    output_format: string;
    checkpoints: CheckpointType[];
  };
  /** Templates and rule text the skill carries (name → text). */
  artifacts: { name: string; kind: 'template' | 'rule_text'; content: string }[];
}
