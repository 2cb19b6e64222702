import type { GraphCaller } from '@aegis/graph-client';
import { z } from 'zod';
import type { AgentDefinition, Skill } from '../agents/types';
import type { Planner, PlannerTurn, PlannerTurnInput, ToolSpec } from '../planner/types';
import type { AgentCatalog, MemoryPort, SkillLibrary } from '../run/deps';
import type { ToolDefinition, ToolRegistry } from '../tools/types';

/** The engine's test fixtures: small implementations of the contracts (agents, tools, skills, a
 * scripted planner, memory), so the engine and routes are tested apart from the real catalog. */

export const WELL = '42317300010000';

export function agentDef(over: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    agent_id: 'rule37-agent',
    agent_type: 'rule_37',
    version: 1,
    name: 'Rule 37 agent',
    description: 'Spacing analysis',
    model: { primary: 'test-model', temperature: 0, max_tokens: 500 },
    system_prompt: 'You check well spacing.',
    tools: ['lookup_well', 'file_exception'],
    skills: ['spacing-review'],
    approval_checkpoints: ['pre_filing', 'good_cause_review'],
    budgets: { per_run: { tokens: 150_000, cost_usd: 10 }, per_day: { tokens: 2_000_000, cost_usd: 100 } },
    ...over,
  };
}

export function catalogOf(agents: AgentDefinition[]): AgentCatalog {
  return {
    list: () => agents,
    byId: (id) => agents.find((a) => a.agent_id === id),
    byType: (t) => agents.find((a) => a.agent_type === t),
  };
}

export const defaultAgents = (): AgentDefinition[] => [
  agentDef(),
  agentDef({
    agent_id: 'general-assistant',
    agent_type: 'general',
    name: 'General assistant',
    tools: ['lookup_well'],
    skills: [],
    approval_checkpoints: [],
    budgets: { per_run: { tokens: 50_000, cost_usd: 3 }, per_day: { tokens: 500_000, cost_usd: 30 } },
  }),
];

/** What the fake tools did (the mutating one's runs are the "records" it changed). */
export interface ToolLog {
  lookups: string[];
  filed: Record<string, unknown>[];
  /** Set to make lookup_well wait until the run is aborted. */
  blockLookup?: boolean;
}

export function toolsOf(log: ToolLog): ToolRegistry {
  const lookup: ToolDefinition<{ well_id: string }, unknown> = {
    name: 'lookup_well',
    description: 'Reads a well and its nearest lease line',
    input: z.strictObject({ well_id: z.string().regex(/^42\d{12}$/) }),
    run: async (args, ctx) => {
      log.lookups.push(args.well_id);
      if (log.blockLookup)
        await new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
        );
      return { well_id: args.well_id, nearest_lease_line_ft: 330, minimum_ft: 467 };
    },
  };
  const file: ToolDefinition<{ well_id: string; narrative: string; spacing_ft: number }, unknown> = {
    name: 'file_exception',
    description: 'Files a Rule 37 spacing exception (W-1)',
    input: z.strictObject({
      well_id: z.string().regex(/^42\d{12}$/),
      narrative: z.string().min(1),
      spacing_ft: z.number().positive().default(467),
    }),
    mutating: {
      approval: (args) => ({
        checkpoint_type: 'pre_filing',
        payload: {
          filing_type: 'W-1',
          entity_id: args.well_id,
          summary: `W-1 exception for ${args.well_id}`,
        },
      }),
    },
    run: (args) => {
      log.filed.push({ ...args });
      return Promise.resolve({ filing_id: `fp-${log.filed.length}`, status: 'draft' });
    },
  };
  return new Map<string, ToolDefinition>([
    [lookup.name, lookup],
    [file.name, file],
  ]);
}

export function toolSpecsOf(tools: ToolRegistry) {
  return (names: readonly string[]): ToolSpec[] =>
    names.flatMap((n) => {
      const t = tools.get(n);
      return t
        ? [
            {
              name: t.name,
              description: t.description,
              parameters: z.toJSONSchema(t.input),
              mutating: !!t.mutating,
            },
          ]
        : [];
    });
}

export const SPACING_SKILL: Skill = {
  skill_id: 'spacing-review',
  version: 1,
  name: 'Spacing review',
  summary: 'Checks a location against Rule 37 minimums',
  triggers: { keywords: ['spacing'], tools: ['lookup_well'] },
  definition: {
    steps: ['Measure the distances', 'Compare with 467 ft'],
    requirements: ['a well id'],
    output_format: 'distance, minimum, verdict',
    checkpoints: ['pre_filing'],
  },
  artifacts: [{ name: '16 TAC 3.37', kind: 'rule_text', content: '467 feet from lease lines' }],
};

export const skillLibrary: SkillLibrary = {
  manifests: (agent) =>
    agent.skills.includes(SPACING_SKILL.skill_id)
      ? [{ skill_id: 'spacing-review', version: 1, name: 'Spacing review', summary: SPACING_SKILL.summary }]
      : [],
  select: ({ agent, toolNames, userMessage, alreadyInjected }) =>
    agent.skills.includes(SPACING_SKILL.skill_id) &&
    !alreadyInjected.includes(SPACING_SKILL.skill_id) &&
    (toolNames.includes('lookup_well') || /spacing/i.test(userMessage))
      ? [SPACING_SKILL]
      : [],
};

type Step = PlannerTurn | ((input: PlannerTurnInput) => PlannerTurn | Promise<PlannerTurn>);

const usage = (n: number) => ({ prompt_tokens: n, completion_tokens: n, total_tokens: 2 * n });

export const turn = {
  calls: (
    calls: { name: string; arguments: Record<string, unknown> }[],
    tokens = 10,
    cost = 0.01,
  ): PlannerTurn => ({
    kind: 'tool_calls',
    calls: calls.map((c, i) => ({ id: `call_${i + 1}_${c.name}`, ...c })),
    usage: usage(tokens),
    cost_usd: cost,
    model: 'scripted',
  }),
  final: (content: string, tokens = 10, cost = 0.01): PlannerTurn => ({
    kind: 'final',
    content,
    usage: usage(tokens),
    cost_usd: cost,
    model: 'scripted',
  }),
};

/** A planner that plays a script: plan turns from `plan` in order (then `final`), synthesis from
 * `synthesize` (default: an answer quoting the tool results). Records every input. */
export class ScriptedPlanner implements Planner {
  readonly kind = 'model' as const;
  readonly inputs: PlannerTurnInput[] = [];
  plan: Step[] = [];
  synthesize?: Step;

  async turn(input: PlannerTurnInput): Promise<PlannerTurn> {
    this.inputs.push(input);
    // Plan turns past the script answer like the synthesis (the planner has nothing more to call).
    const answer =
      this.synthesize ??
      ((i: PlannerTurnInput) => {
        const text = `Answer from ${i.toolOutcomes.length} tool result(s): ${JSON.stringify(i.toolOutcomes.map((o) => o.result ?? o.error))}`;
        i.onToken(text);
        return turn.final(text);
      });
    const step = input.phase === 'plan' ? (this.plan.shift() ?? answer) : answer;
    return typeof step === 'function' ? step(input) : step;
  }
}

/** An in-memory memory service (working memory, episodes, injection ledger). */
export function fakeMemory(): MemoryPort & {
  working: Map<string, Record<string, unknown>>;
  episodes: { summary: string; conversation_id: string }[];
  ledger: Map<string, Set<string>>;
} {
  const working = new Map<string, Record<string, unknown>>();
  const episodes: { summary: string; conversation_id: string }[] = [];
  const ledger = new Map<string, Set<string>>();
  const at = '2026-06-01T00:00:00.000Z';
  const key = (caller: GraphCaller, id: string) =>
    `${typeof caller === 'string' ? 'default' : caller.tenantId}/${id}`;
  return {
    working,
    episodes,
    ledger,
    getWorkingMemory: (caller, id) => {
      const f = working.get(key(caller, id));
      return Promise.resolve(
        f ? { conversation_id: id, fields: f, size_bytes: 2, expires_at: at } : undefined,
      );
    },
    putWorkingMemory: (caller, id, fields) => {
      const merged = { ...(working.get(key(caller, id)) ?? {}), ...fields };
      working.set(key(caller, id), merged);
      return Promise.resolve({ conversation_id: id, fields: merged, size_bytes: 2, expires_at: at });
    },
    searchEpisodes: () => Promise.resolve({ ranking: 'bm25', data: [] }),
    storeEpisode: (_caller, input) => {
      episodes.push({ summary: input.summary, conversation_id: input.metadata.conversation_id });
      return Promise.resolve({
        episode_id: `ep-${episodes.length}`,
        summary: input.summary,
        metadata: {
          conversation_id: input.metadata.conversation_id,
          agent_id: null,
          user_id: null,
          tags: [],
          created_at: at,
        },
        stored_at: at,
      });
    },
    injectedSkills: (caller, id) =>
      Promise.resolve(
        [...(ledger.get(key(caller, id)) ?? [])].map((skill_id) => ({ skill_id, injected_at: at })),
      ),
    markSkills: (caller, id, skillIds) => {
      const set = ledger.get(key(caller, id)) ?? new Set<string>();
      ledger.set(key(caller, id), set);
      const newly = skillIds.filter((s) => !set.has(s));
      newly.forEach((s) => set.add(s));
      return Promise.resolve({
        conversation_id: id,
        newly_marked: newly,
        already_marked: skillIds.filter((s) => !newly.includes(s)),
      });
    },
  };
}
