import type { AgentDefinition, Skill, SkillManifest } from '../agents/types';
import { SKILLS } from './library';

/** The skill of an id, or undefined. */
export function skillById(id: string, library: readonly Skill[] = SKILLS): Skill | undefined {
  return library.find((s) => s.skill_id === id);
}

/** The one-line manifest of a skill (the tier always offered to the planner). */
export function manifestOf(skill: Skill): SkillManifest {
  return { skill_id: skill.skill_id, version: skill.version, name: skill.name, summary: skill.summary };
}

/** The manifests of the agent's skills, in the agent's order. */
export function skillManifests(
  agent: Pick<AgentDefinition, 'skills'>,
  library: readonly Skill[] = SKILLS,
): SkillManifest[] {
  return agent.skills.flatMap((id) => {
    const s = skillById(id, library);
    return s ? [manifestOf(s)] : [];
  });
}

/** Whether `keyword` occurs in `text` as whole words (case-insensitive; `rule 37` matches `Rule-37`). */
export function mentions(text: string, keyword: string): boolean {
  const words = keyword
    .toLowerCase()
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return false;
  return new RegExp(`(^|[^a-z0-9])${words.join('[\\s-]*')}([^a-z0-9]|$)`).test(text.toLowerCase());
}

export interface SelectSkillsInput {
  agent: Pick<AgentDefinition, 'skills'>;
  userMessage: string;
  /** The tools the run called (or is about to call). */
  toolNames: readonly string[];
  /** Skill ids the conversation already received (the memory service's injection ledger). */
  alreadyInjected: Iterable<string>;
  library?: readonly Skill[];
}

/**
 * The skills to inject, deterministic: of the agent's skills (in the agent's order), those a keyword
 * of the request or a tool of the run triggers, minus those the conversation already received.
 */
export function selectSkills(input: SelectSkillsInput): Skill[] {
  const seen = new Set(input.alreadyInjected);
  const tools = new Set(input.toolNames);
  return input.agent.skills.flatMap((id) => {
    if (seen.has(id)) return [];
    const skill = skillById(id, input.library ?? SKILLS);
    if (!skill) return [];
    const hit =
      skill.triggers.tools.some((t) => tools.has(t)) ||
      skill.triggers.keywords.some((k) => mentions(input.userMessage, k));
    return hit ? [skill] : [];
  });
}
