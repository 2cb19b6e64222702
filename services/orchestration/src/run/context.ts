import { AppError } from '@aegis/common';
import type { ChatMessage } from '../planner/types';
import type { Message } from '../store/conversations';
import type { EngineDeps } from './deps';
import type { RunState } from './state';
import { wellIdsIn } from '../planner/intent';

export interface LoadedContext {
  /** What the trace shows of the step. */
  output: Record<string, unknown>;
}

const errorOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The well a request is about: named in the message, else in the request's context, else the one the
 * conversation was about (working memory). */
function wellOf(st: RunState, remembered: unknown): string | undefined {
  const named = wellIdsIn(st.userMessage)[0];
  if (named) return named;
  const fromRequest = st.requestContext?.well_id;
  if (typeof fromRequest === 'string') return wellIdsIn(fromRequest)[0];
  return typeof remembered === 'string' ? remembered : undefined;
}

/**
 * The first step: the conversation's working memory, similar earlier episodes, and the knowledge
 * graph's context for the well in question, into the planner's messages. A memory or graph read that
 * fails leaves its part out; the trace records the failure (the answer can still be given from tools).
 */
export async function loadContext(
  deps: EngineDeps,
  st: RunState,
  history: Message[],
): Promise<LoadedContext> {
  const errors: Record<string, string> = {};
  const working = await deps.memory.getWorkingMemory(st.caller, st.conversationId).catch((err: unknown) => {
    errors.working_memory = errorOf(err);
    return undefined;
  });
  const episodes = await deps.memory
    .searchEpisodes(st.caller, {
      query: st.userMessage.slice(0, 2000),
      agent_id: st.agent.agent_id,
      limit: 3,
    })
    .catch((err: unknown) => {
      errors.episodic = errorOf(err);
      return undefined;
    });
  st.wellId = wellOf(st, working?.fields.well_id);
  if (st.wellId) {
    st.context = await deps.clients
      .call<Record<string, unknown>>('knowledge-graph', 'GET', `/context/assemble/${st.wellId}`, st.caller)
      .catch((err: unknown) => {
        // A well the graph does not know is no failure of the run: the tools say so.
        if (!(err instanceof AppError && err.status === 404)) errors.context = errorOf(err);
        return undefined;
      });
  }
  if (Object.keys(errors).length > 0)
    deps.logger.warn({ run_id: st.runId, errors }, 'Loaded the run context partly');

  const messages: ChatMessage[] = [{ role: 'system', content: st.agent.system_prompt }];
  if (st.manifests.length > 0)
    messages.push({
      role: 'system',
      content: `Skills available:\n${st.manifests.map((m) => `- ${m.skill_id}: ${m.summary}`).join('\n')}`,
    });
  if (working && Object.keys(working.fields).length > 0)
    messages.push({ role: 'system', content: `Working memory: ${JSON.stringify(working.fields)}` });
  if (episodes && episodes.data.length > 0)
    messages.push({
      role: 'system',
      content: `Related earlier episodes:\n${episodes.data.map((e) => `- ${e.summary}`).join('\n')}`,
    });
  if (st.context)
    messages.push({
      role: 'system',
      content: `Graph context for well ${st.wellId}: ${JSON.stringify(st.context)}`,
    });
  for (const m of history) messages.push({ role: m.role, content: m.content });
  messages.push({ role: 'user', content: st.userMessage });
  st.messages = messages;
  return {
    output: {
      well_id: st.wellId ?? null,
      working_memory_fields: working ? Object.keys(working.fields) : [],
      episodes: episodes?.data.map((e) => e.episode_id) ?? [],
      graph_context: st.context !== undefined,
      history_messages: history.length,
      ...(Object.keys(errors).length > 0 ? { errors } : {}),
    },
  };
}
