import type { ArtifactView, ItemStatus, ItemView } from '../checklists';
import type { ToolContext, ToolRegistry } from '../tools';
import { TOOL_CHECKS, type Judgement, type Subject } from './checks';

/**
 * One item's assessment: which check applies by item type (document: an artifact with its checksum;
 * attestation: a person; data and calculation: the item's tool on the checklist's entity), the
 * evidence it used, and the status the outcome asks for under the checklist item lifecycle.
 */

export const OUTCOMES = ['passed', 'action_needed', 'needs_human', 'not_assessed', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ToolEvidence {
  tool_name: string;
  /** `derivation`: run to build the arguments of the assessing call; `assessment`: the item's tool. */
  role: 'derivation' | 'assessment';
  arguments: Record<string, unknown>;
  summary: string;
  figures: Record<string, unknown>;
  error: { code: string; message: string } | null;
  started_at: string;
  finished_at: string;
}

export interface ArtifactEvidence {
  artifact_id: string;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  created_at: string;
}

export interface ItemEvidence {
  item_type: string;
  tool_name: string | null;
  calls: ToolEvidence[];
  artifacts: ArtifactEvidence[];
}

export interface ItemOutcome {
  outcome: Outcome;
  note: string;
  evidence: ItemEvidence;
}

/** Runs a tool once per assessment for the same arguments (items sharing a tool share its call) and
 * reports the call as it happens (the stream's `tool_call` / `tool_result`). */
export interface ToolRunner {
  run(
    toolName: string,
    args: Record<string, unknown>,
    role: ToolEvidence['role'],
  ): Promise<{ answer: unknown; evidence: ToolEvidence }>;
}

export interface ToolRunnerDeps {
  tools: ToolRegistry;
  ctx: ToolContext;
  /** The judgement of an answer for the evidence's summary and figures (per tool, item-independent). */
  onCall(toolName: string, args: Record<string, unknown>): Promise<void>;
  onResult(evidence: ToolEvidence): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function createToolRunner(deps: ToolRunnerDeps): ToolRunner {
  const cache = new Map<string, Promise<{ answer: unknown; evidence: ToolEvidence }>>();
  const iso = () => new Date(deps.ctx.now()).toISOString();
  const call = async (toolName: string, args: Record<string, unknown>, role: ToolEvidence['role']) => {
    const tool = deps.tools.get(toolName);
    const started_at = iso();
    await deps.onCall(toolName, args);
    let answer: unknown;
    let error: ToolEvidence['error'] = null;
    try {
      if (!tool) throw Object.assign(new Error(`Unknown tool ${toolName}`), { code: 'unknown_tool' });
      // Never a tool that changes records: an assessment only reads (those stop at an approval).
      if (tool.mutating)
        throw Object.assign(new Error(`${toolName} changes records`), { code: 'mutating_tool' });
      answer = await tool.run(tool.input.parse(args), deps.ctx);
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown; name?: unknown };
      error = {
        code:
          typeof e.code === 'string' ? e.code : e.name === 'ZodError' ? 'invalid_arguments' : 'tool_failed',
        message: typeof e.message === 'string' ? e.message.slice(0, 2000) : 'The tool failed',
      };
    }
    const judged: Judgement | undefined =
      error === null ? TOOL_CHECKS[toolName]?.judge(answer, '') : undefined;
    const evidence: ToolEvidence = {
      tool_name: toolName,
      role,
      arguments: args,
      summary: error ? `Failed: ${error.message}` : (judged?.summary ?? 'Answered'),
      figures: judged?.figures ?? {},
      error,
      started_at,
      finished_at: iso(),
    };
    await deps.onResult(evidence);
    return { answer, evidence };
  };
  return {
    run(toolName, args, role) {
      const key = `${toolName}\u0000${JSON.stringify(args)}`;
      let p = cache.get(key);
      if (!p) {
        p = call(toolName, args, role);
        cache.set(key, p);
      }
      return p;
    },
  };
}

/** Assesses one item of the checklist for `subject`, calling tools through `runner`; `allowed` are
 * the tools the agent may call. */
export async function evaluateItem(
  item: ItemView,
  artifacts: readonly ArtifactView[],
  subject: Subject,
  runner: ToolRunner,
  allowed: readonly string[],
): Promise<ItemOutcome> {
  const evidence: ItemEvidence = {
    item_type: item.item_type,
    tool_name: item.tool_name,
    calls: [],
    artifacts: [],
  };
  const done = (outcome: Outcome, note: string): ItemOutcome => ({ outcome, note, evidence });

  if (item.item_type === 'attestation')
    return done(
      'needs_human',
      'An attestation is signed by the operator’s responsible person; left as it is',
    );

  if (item.item_type === 'document') {
    const mine = artifacts.filter((a) => a.item_index === item.index);
    evidence.artifacts = mine.map((a) => ({
      artifact_id: a.artifact_id,
      filename: a.filename,
      media_type: a.media_type,
      size_bytes: a.size_bytes,
      sha256: a.sha256,
      created_at: a.created_at,
    }));
    const recorded = mine.filter((a) => SHA256.test(a.sha256));
    return recorded.length > 0
      ? done(
          'passed',
          `${recorded.length} document(s) attached, SHA-256 recorded (${recorded.map((a) => `${a.filename} ${a.sha256.slice(0, 12)}…`).join(', ')})`,
        )
      : done('action_needed', 'No document attached: upload it to this item');
  }

  if (item.tool_name === null)
    return done('needs_human', 'No tool assesses this item; a person completes it');
  if (!allowed.includes(item.tool_name))
    return done('not_assessed', `The agent may not call ${item.tool_name}`);
  const check = TOOL_CHECKS[item.tool_name];
  if (!check)
    return done('not_assessed', `${item.tool_name} has no automatic assessment; a person completes it`);

  let derived: unknown;
  if (check.derive) {
    const dArgs = check.derive.args(subject);
    if (dArgs === undefined)
      return done('not_assessed', `${item.tool_name} cannot assess a ${subject.label}`);
    const d = await runner.run(check.derive.tool_name, dArgs, 'derivation');
    evidence.calls.push(d.evidence);
    if (d.evidence.error)
      return done('error', `${check.derive.tool_name} failed: ${d.evidence.error.message}`);
    derived = d.answer;
  }
  const args = check.args(subject, derived);
  if (args === undefined) return done('not_assessed', `${item.tool_name} cannot assess a ${subject.label}`);
  const r = await runner.run(item.tool_name, args, 'assessment');
  if (r.evidence.error) {
    evidence.calls.push(r.evidence);
    return done('error', `${item.tool_name} failed: ${r.evidence.error.message}`);
  }
  // The item's own judgement (a shared call is judged per item: its own paths, its own violations).
  const j = check.judge(r.answer, item.label);
  evidence.calls.push({ ...r.evidence, summary: j.summary, figures: j.figures });
  return done(j.passed ? 'passed' : 'action_needed', j.summary);
}

/** The status an outcome asks for, under the item lifecycle (checklists/domain.ts): a pass completes
 * a pending or in-progress item; a failed check puts a pending or complete item in progress (action
 * needed). Exceptions and not-applicable items are a person's decision and are never changed; other
 * outcomes change nothing. */
export function targetStatus(outcome: Outcome, current: ItemStatus): ItemStatus {
  if (outcome === 'passed' && (current === 'pending' || current === 'in_progress')) return 'complete';
  if (outcome === 'action_needed' && (current === 'pending' || current === 'complete')) return 'in_progress';
  return current;
}
