import type { Skill } from '../agents/types';
import type { EngineDeps } from './deps';
import type { RunState } from './state';

/** The text a skill's full definition is injected as. */
export function skillText(s: Skill): string {
  const d = s.definition;
  const lines = [
    `Skill ${s.name} (${s.skill_id} v${s.version})`,
    'Steps:',
    ...d.steps.map((step, i) => `${i + 1}. ${step}`),
  ];
  if (d.requirements.length > 0) lines.push(`Requirements: ${d.requirements.join('; ')}`);
  lines.push(`Output format: ${d.output_format}`);
  for (const a of s.artifacts)
    lines.push(`${a.kind === 'rule_text' ? 'Rule text' : 'Template'} ${a.name}:`, a.content);
  return lines.join('\n');
}

/**
 * Selects the skills for the request (its words, and the tools the run called so far) and injects the full definitions of those the conversation has
 * not had: the memory service's injection ledger decides (`mark` answers which this call newly
 * marked), so a conversation never receives a skill twice, even with two runs racing. When the
 * ledger cannot be read or written, nothing is injected (never twice beats once more).
 */
export async function injectSkills(deps: EngineDeps, st: RunState): Promise<Record<string, unknown>> {
  let already: string[];
  try {
    // Read once per run; this run's own marks are added as it makes them.
    st.ledger ??= (await deps.memory.injectedSkills(st.caller, st.conversationId)).map((s) => s.skill_id);
    already = [...st.ledger];
  } catch (err) {
    deps.logger.warn({ err, run_id: st.runId }, 'Skipped skill injection: the ledger did not answer');
    return { selected: [], injected: [], error: (err as Error).message };
  }
  const selected = deps.skills.select({
    agent: st.agent,
    userMessage: st.userMessage,
    toolNames: [...st.toolsCalled],
    alreadyInjected: already,
  });
  const candidates = selected.filter((s) => !already.includes(s.skill_id));
  if (candidates.length === 0) return { selected: selected.map((s) => s.skill_id), injected: [] };
  let newly: string[];
  try {
    newly = (
      await deps.memory.markSkills(
        st.caller,
        st.conversationId,
        candidates.map((s) => s.skill_id),
      )
    ).newly_marked;
  } catch (err) {
    deps.logger.warn({ err, run_id: st.runId }, 'Skipped skill injection: the ledger did not answer');
    return { selected: selected.map((s) => s.skill_id), injected: [], error: (err as Error).message };
  }
  const injected = candidates.filter((s) => newly.includes(s.skill_id));
  st.ledger.push(...candidates.map((s) => s.skill_id));
  // With the other system messages, before the conversation: a model API wants an assistant
  // message's tool calls followed by their results, with nothing in between.
  const at = st.messages.findIndex((m) => m.role !== 'system');
  st.messages.splice(
    at < 0 ? st.messages.length : at,
    0,
    ...injected.map((s) => ({ role: 'system' as const, content: skillText(s) })),
  );
  st.injected.push(...injected);
  return {
    selected: selected.map((s) => s.skill_id),
    already_injected: already,
    injected: injected.map((s) => s.skill_id),
  };
}
