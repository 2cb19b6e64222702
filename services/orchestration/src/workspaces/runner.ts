import { randomBytes } from 'node:crypto';
import { ConflictError, isUniqueViolation, type Logger } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { AgentCatalog } from '../agents';
import {
  assertEditable,
  getChecklist,
  listArtifacts,
  patchItem,
  type ChecklistOpsDeps,
  type ItemStatus,
} from '../checklists';
import type { PlatformClients, ToolRegistry, ToolRules } from '../tools';
import type { Subject } from './checks';
import { createToolRunner, evaluateItem, targetStatus, type Outcome } from './evaluate';
import type { AssessmentHub } from './hub';
import {
  activeAssessment,
  insertAssessment,
  insertEvent,
  insertItemResult,
  lastEventSeq,
  updateAssessment,
  type AssessmentRow,
  type WorkspacesStore,
} from './store';

export interface AssessmentDeps {
  store: WorkspacesStore;
  /** The checklists module (its store, templates and clock): items change only through it. */
  checklists: ChecklistOpsDeps;
  agents: AgentCatalog;
  tools: ToolRegistry;
  clients: PlatformClients;
  /** The tenant's active rule versions the tools compute with (absent: the bundled values). */
  rules?: ToolRules;
  /** The service identity acting on a tenant (the token and tenant the tools' calls carry). */
  callerFor: (tenant: string) => GraphCaller | Promise<GraphCaller>;
  hub: AssessmentHub;
  logger?: Logger;
  now: () => number;
  /** An active assessment whose heartbeat is older than this was abandoned (its process stopped). */
  staleAfterMs: number;
  /** Background assessments of this process (awaited by `drain`). */
  inflight: Set<Promise<void>>;
}

/** Who changes item statuses: the agent, named in `updated_by`. */
const agentUser = (agentId: string) => `agent:${agentId}`;

export function newAssessmentId(): string {
  return `asm-${randomBytes(12).toString('hex')}`;
}

/** Appends the events of one assessment to its checklist's log (seq continues the checklist's log;
 * one assessment at a time per checklist, so one writer). */
async function eventWriter(deps: AssessmentDeps, tenant: string, checklistId: string, assessmentId: string) {
  let seq = await lastEventSeq(deps.store, tenant, checklistId);
  return async (event_type: string, data: Record<string, unknown>): Promise<void> => {
    seq += 1;
    await insertEvent(deps.store, {
      tenant_id: tenant,
      checklist_id: checklistId,
      seq,
      assessment_id: assessmentId,
      event_type,
      data: JSON.stringify({ assessment_id: assessmentId, ...data }),
      created_at: new Date(deps.now()).toISOString(),
    });
    deps.hub.notify(tenant, checklistId);
  };
}

/**
 * `POST /workspaces/{id}/assess`: records a queued assessment and starts it in the background. 404 for
 * an unknown checklist, 409 when it is locked (in review, approved), when its template's agent is not
 * in the catalog, or while another assessment of it runs. An active assessment whose heartbeat stopped
 * (its process ended) is marked failed first, so a crash never blocks a checklist for good.
 */
export async function startAssessment(
  deps: AssessmentDeps,
  tenant: string,
  userId: string,
  checklistId: string,
): Promise<AssessmentRow> {
  const checklist = await getChecklist(deps.checklists, tenant, checklistId);
  assertEditable(checklist);
  const agent = deps.agents.byType(checklist.agent_type);
  if (!agent)
    throw new ConflictError(`No agent of type ${checklist.agent_type} is configured`, 'agent_unavailable');
  const at = new Date(deps.now()).toISOString();
  const row: AssessmentRow = {
    assessment_id: newAssessmentId(),
    tenant_id: tenant,
    checklist_id: checklistId,
    agent_id: agent.agent_id,
    agent_version: agent.version,
    status: 'queued',
    requested_by: userId,
    created_at: at,
    started_at: null,
    finished_at: null,
    heartbeat_at: at,
    error_code: null,
    error_message: null,
    summary: null,
  };
  const active = await activeAssessment(deps.store, tenant, checklistId);
  if (active) {
    if (deps.now() - Date.parse(active.heartbeat_at) < deps.staleAfterMs)
      throw new ConflictError(
        `Assessment ${active.assessment_id} of checklist ${checklistId} is ${active.status}: wait for it to finish`,
        'assessment_running',
      );
    await abandon(deps, active);
  }
  try {
    await insertAssessment(deps.store, row);
  } catch (err) {
    // Another request started one between the check and the insert (the partial unique index).
    if (isUniqueViolation(err))
      throw new ConflictError(
        `An assessment of checklist ${checklistId} is already running`,
        'assessment_running',
      );
    throw err;
  }
  const task = runAssessment(deps, row).catch((err: unknown) =>
    deps.logger?.error({ err, tenant, assessment_id: row.assessment_id }, 'Failed to record an assessment'),
  );
  deps.inflight.add(task);
  void task.finally(() => deps.inflight.delete(task));
  return row;
}

async function abandon(deps: AssessmentDeps, row: AssessmentRow): Promise<void> {
  const emit = await eventWriter(deps, row.tenant_id, row.checklist_id, row.assessment_id);
  const message = 'The assessment stopped without finishing (its process ended)';
  await updateAssessment(deps.store, row.tenant_id, row.assessment_id, {
    status: 'failed',
    finished_at: new Date(deps.now()).toISOString(),
    error_code: 'assessment_abandoned',
    error_message: message,
  });
  await emit('error', { message, code: 'assessment_abandoned' });
  await emit('done', { final_response: message, status: 'failed' });
}

/** Runs a queued assessment to its end: every item, in order, then `done`. Never throws for a tool's
 * failure (the item records it); an unexpected failure ends the assessment `failed` with `error` and
 * `done` events. Started by the POST, not by a stream: a client leaving the stream does not stop it. */
export async function runAssessment(deps: AssessmentDeps, row: AssessmentRow): Promise<void> {
  const { tenant_id: tenant, checklist_id: checklistId, assessment_id: assessmentId } = row;
  const emit = await eventWriter(deps, tenant, checklistId, assessmentId);
  const iso = () => new Date(deps.now()).toISOString();
  const beat = () => updateAssessment(deps.store, tenant, assessmentId, { heartbeat_at: iso() });
  await updateAssessment(deps.store, tenant, assessmentId, {
    status: 'running',
    started_at: iso(),
    heartbeat_at: iso(),
  });
  const counts: Record<Outcome, number> = {
    passed: 0,
    action_needed: 0,
    needs_human: 0,
    not_assessed: 0,
    error: 0,
  };
  try {
    const agent = deps.agents.byId(row.agent_id)!;
    await emit('agent_status', {
      status: 'thinking',
      node: 'plan',
      agent_id: agent.agent_id,
      agent_version: agent.version,
    });
    const checklist = await getChecklist(deps.checklists, tenant, checklistId);
    const artifacts = await listArtifacts(deps.checklists, tenant, checklistId);
    const subject: Subject = {
      label: checklist.entity_label,
      entity_id: checklist.entity_id,
      form_type: checklist.form_type,
      as_of: iso().slice(0, 10),
    };
    let currentItem = -1;
    const runner = createToolRunner({
      tools: deps.tools,
      ctx: {
        tenantId: tenant,
        userId: row.requested_by,
        caller: await deps.callerFor(tenant),
        clients: deps.clients,
        rules: deps.rules,
        conversationId: checklistId,
        runId: assessmentId,
        signal: new AbortController().signal,
        now: deps.now,
      },
      onCall: (tool_name, args) => emit('tool_call', { tool_name, arguments: args, item_index: currentItem }),
      onResult: (e) =>
        emit('tool_result', {
          tool_name: e.tool_name,
          item_index: currentItem,
          result: { summary: e.summary, figures: e.figures, error: e.error },
        }),
    });
    for (const item of checklist.items) {
      currentItem = item.index;
      await emit('agent_status', { status: 'calling_tool', node: 'assess_item', item_index: item.index });
      const r = await evaluateItem(item, artifacts, subject, runner, agent.tools);
      counts[r.outcome] += 1;
      const before = item.status;
      let after: ItemStatus = before;
      let note = r.note;
      const wanted = targetStatus(r.outcome, before);
      if (wanted !== before) {
        try {
          // Through the checklists module: its lifecycle rules and locks decide, never bypassed.
          await patchItem(deps.checklists, tenant, agentUser(agent.agent_id), checklistId, item.index, {
            status: wanted,
          });
          after = wanted;
        } catch (err) {
          note = `${note} (status left ${before}: ${(err as Error).message})`;
        }
      }
      await insertItemResult(deps.store, {
        tenant_id: tenant,
        assessment_id: assessmentId,
        checklist_id: checklistId,
        item_index: item.index,
        outcome: r.outcome,
        status_before: before,
        status_after: after,
        note,
        evidence: JSON.stringify(r.evidence),
        assessed_at: iso(),
      });
      await emit('checklist_item_update', {
        item_index: item.index,
        status: after,
        previous_status: before,
        outcome: r.outcome,
        note,
      });
      await beat();
    }
    await emit('agent_status', { status: 'synthesizing', node: 'summary' });
    const final = `Assessed ${checklist.items.length} items of ${checklist.form_type} for ${checklist.entity_label} ${checklist.entity_id}: ${counts.passed} passed, ${counts.action_needed} need action, ${counts.needs_human} need a person, ${counts.not_assessed} not assessed, ${counts.error} failed.`;
    await updateAssessment(deps.store, tenant, assessmentId, {
      status: 'completed',
      finished_at: iso(),
      heartbeat_at: iso(),
      summary: JSON.stringify(counts),
    });
    await emit('done', { final_response: final, status: 'completed', summary: counts });
  } catch (err) {
    deps.logger?.error({ err, tenant, assessment_id: assessmentId }, 'Assessment failed');
    const message = 'The assessment failed unexpectedly';
    await updateAssessment(deps.store, tenant, assessmentId, {
      status: 'failed',
      finished_at: iso(),
      error_code: 'assessment_failed',
      error_message: message,
      summary: JSON.stringify(counts),
    });
    await emit('error', { message, code: 'assessment_failed' });
    await emit('done', { final_response: message, status: 'failed', summary: counts });
  }
}
