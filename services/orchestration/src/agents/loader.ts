import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINTS_OF_AGENT } from '@aegis/approvals';
import { SKILLS } from '../skills/library';
import { ALL_TOOLS } from '../tools/registry';
import type { ToolDefinition } from '../tools/types';
import { createAgentCatalog, type AgentCatalog } from './catalog';
import { BUNDLED_DEFINITIONS } from './definitions';
import { agentDefinitionSchema } from './schema';
import type { AgentDefinition } from './types';

/** A definition file that cannot be used: the message names the file and the field. */
export class AgentDefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`Agent definition ${file}: ${field ? `${field} ` : ''}${detail}`);
    this.name = 'AgentDefinitionError';
  }
}

export interface LoadAgentsOptions {
  /** The tools definitions may name (default: every tool of the registry). */
  tools?: readonly Pick<ToolDefinition, 'name' | 'mutating'>[];
  /** The skill ids definitions may name (default: the skill library). */
  skills?: readonly string[];
}

const fieldOf = (p: readonly PropertyKey[]) => p.map(String).join('.');

/** Validates one definition: its schema, then its references to tools, skills and checkpoints. */
export function parseAgentDefinition(
  file: string,
  raw: unknown,
  options: LoadAgentsOptions = {},
): AgentDefinition {
  const parsed = agentDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentDefinitionError(file, fieldOf(issue.path), issue.message);
  }
  const agent = parsed.data;
  const allowed = CHECKPOINTS_OF_AGENT[agent.agent_type];
  agent.approval_checkpoints.forEach((c, i) => {
    if (!allowed.includes(c))
      throw new AgentDefinitionError(
        file,
        `approval_checkpoints.${i}`,
        `${c} is not a checkpoint of agent type ${agent.agent_type} (${allowed.join(', ') || 'none'})`,
      );
  });
  const tools = new Map((options.tools ?? ALL_TOOLS).map((t) => [t.name, t]));
  const skills = new Set(options.skills ?? SKILLS.map((s) => s.skill_id));
  agent.tools.forEach((name, i) => {
    const tool = tools.get(name);
    if (!tool) throw new AgentDefinitionError(file, `tools.${i}`, `names an unknown tool ${name}`);
    const checkpoint = tool.mutating?.checkpoint;
    if (checkpoint && !agent.approval_checkpoints.includes(checkpoint))
      throw new AgentDefinitionError(
        file,
        `tools.${i}`,
        `names the mutating tool ${name}, whose checkpoint ${checkpoint} is not in approval_checkpoints`,
      );
  });
  agent.skills.forEach((id, i) => {
    if (!skills.has(id)) throw new AgentDefinitionError(file, `skills.${i}`, `names an unknown skill ${id}`);
  });
  return agent;
}

/**
 * The agents: the five bundled definitions, then every `*.json` of `dir` (AGENTS_DIR), each replacing
 * the bundled agent of the same `agent_id` or adding one. Every file is validated; the first bad one
 * throws an AgentDefinitionError naming the file and the field, so the service does not start.
 */
export function loadAgents(dir?: string, options: LoadAgentsOptions = {}): AgentCatalog {
  const byId = new Map<string, AgentDefinition>();
  for (const [file, raw] of Object.entries(BUNDLED_DEFINITIONS)) {
    const agent = parseAgentDefinition(`${file} (bundled)`, raw, options);
    byId.set(agent.agent_id, agent);
  }
  if (dir) {
    let files: string[];
    try {
      files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
    } catch (err) {
      throw new AgentDefinitionError(dir, '', `cannot be read: ${(err as Error).message}`);
    }
    for (const f of files) {
      const file = path.join(dir, f);
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      } catch (err) {
        throw new AgentDefinitionError(file, '', `is not JSON: ${(err as Error).message}`);
      }
      const agent = parseAgentDefinition(file, raw, options);
      byId.set(agent.agent_id, agent);
    }
  }
  return createAgentCatalog([...byId.values()]);
}
