import { lastEventSeq, openSse, seqStreamRoute, type ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { getChecklist, listArtifacts } from '../checklists';
import { artifactView, checklistId, checklistView, WRITE_ROLES } from '../checklists/routes/schemas';
import { startAssessment, type AssessmentDeps } from './runner';
import {
  eventsAfter,
  firstEventSeq,
  itemResults,
  lastEventSeq as lastSeqOf,
  latestAssessment,
} from './store';
import { assessmentSchema, assessmentView } from './views';

export interface WorkspaceRouteDeps extends AssessmentDeps {
  /** `: ping` interval (spec §7: at most 15 s). */
  heartbeatMs: number;
  /** How often an open stream reads the log (assessments running on another replica). */
  pollMs: number;
}

const STREAM_BATCH = 500;

const params = z.object({ checklist_id: checklistId });

/**
 * The workspace routes (spec §8 "Workspaces"): a checklist with its artifacts and latest assessment,
 * starting an assessment (202, runs in the background), and its progress as server-sent events.
 */
export function workspaceRoutes(api: ServiceApi, deps: WorkspaceRouteDeps): void {
  const routes = api.group({ tags: ['workspaces'] });

  routes.route({
    method: 'get',
    path: '/workspaces/{checklist_id}',
    summary: 'A filing workspace: the checklist, its artifacts and the latest assessment',
    description:
      'The assessment carries, per item, the outcome, the status before and after, and the evidence: the tool calls (name, arguments, result summary, figures, timestamps) or the artifacts with their SHA-256.',
    roles: 'any',
    params,
    responses: {
      200: z
        .object({
          checklist: checklistView,
          artifacts: z.array(artifactView),
          assessment: assessmentSchema.nullable(),
        })
        .meta({ id: 'Workspace' }),
    },
    errors: [404],
    handler: async (_ctx, { params: p, tenant }) => {
      const checklist = await getChecklist(deps.checklists, tenant, p.checklist_id);
      const [artifacts, latest] = await Promise.all([
        listArtifacts(deps.checklists, tenant, p.checklist_id),
        latestAssessment(deps.store, tenant, p.checklist_id),
      ]);
      return {
        checklist,
        artifacts,
        assessment: latest
          ? assessmentView(latest, await itemResults(deps.store, tenant, latest.assessment_id))
          : null,
      };
    },
  });

  routes.route({
    method: 'post',
    path: '/workspaces/{checklist_id}/assess',
    summary: 'Assess the checklist’s items with its agent (runs in the background)',
    description:
      'The template’s agent assesses every item with the item’s tool: data and calculation items run the tool on the checklist’s entity, document items need an artifact with its SHA-256, attestations need a person. A pass completes the item, a failed check puts it in progress (action needed), through the checklist item lifecycle. Progress: `GET /workspaces/{checklist_id}/stream`. 409 while another assessment of the checklist runs, or when the checklist is in review or approved.',
    roles: WRITE_ROLES,
    params,
    body: z.strictObject({}).optional(),
    responses: {
      202: z
        .object({
          assessment_id: z.string(),
          checklist_id: z.string(),
          status: z.enum(['queued', 'running']),
          stream_url: z.string(),
        })
        .meta({ id: 'AssessmentStarted' }),
    },
    errors: [404, 409],
    handler: async (_ctx, { params: p, tenant, identity }) => {
      const row = await startAssessment(deps, tenant, identity.userId, p.checklist_id);
      return {
        assessment_id: row.assessment_id,
        checklist_id: row.checklist_id,
        status: 'queued' as const,
        stream_url: `/workspaces/${row.checklist_id}/stream`,
      };
    },
  });

  routes.route({
    method: 'get',
    path: '/workspaces/{checklist_id}/stream',
    summary: 'Server-sent events of the checklist’s assessment',
    description:
      'Events `agent_status`, `tool_call`, `tool_result`, `checklist_item_update` (`item_index`, `status`), `error`, `done`, each with `id:` (its seq in the checklist’s event log) and `data:` carrying `event_type` and `assessment_id`. Without `Last-Event-ID` the stream starts at the latest assessment’s first event (or waits for the next assessment when there is none); with it, after that event. It ends after `done`. The assessment was started by the POST: closing the stream does not stop it. `: ping` comments keep idle connections open.',
    roles: 'any',
    params,
    ...seqStreamRoute,
    errors: [404],
    handler: async (ctx, { params: p, tenant }) => {
      await getChecklist(deps.checklists, tenant, p.checklist_id);
      const resume = lastEventSeq(ctx);
      const last = await lastSeqOf(deps.store, tenant, p.checklist_id);
      let sent: number;
      if (resume !== undefined)
        sent = Math.min(resume, last); // an id from another log: from its end
      else {
        const latest = await latestAssessment(deps.store, tenant, p.checklist_id);
        const first =
          latest && (await firstEventSeq(deps.store, tenant, p.checklist_id, latest.assessment_id));
        sent = first === undefined ? last : first - 1;
      }
      const sse = openSse(ctx, { heartbeatMs: deps.heartbeatMs });
      let reading = false;
      let again = false;
      const pump = async (): Promise<void> => {
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        try {
          do {
            again = false;
            let batch;
            do {
              batch = await eventsAfter(deps.store, tenant, p.checklist_id, sent, STREAM_BATCH);
              for (const e of batch) {
                const data = JSON.parse(e.data) as Record<string, unknown>;
                if (!sse.send({ id: String(e.seq), event_type: e.event_type, data })) return;
                sent = Number(e.seq);
                if (e.event_type === 'done') {
                  sse.close();
                  return;
                }
              }
            } while (batch.length === STREAM_BATCH);
          } while (again);
        } catch (err) {
          deps.logger?.error({ err, tenant }, 'Failed to read the assessment events; closed the stream');
          sse.close();
        } finally {
          reading = false;
        }
      };
      const unsubscribe = deps.hub.subscribe(tenant, p.checklist_id, () => void pump());
      const timer = setInterval(() => void pump(), deps.pollMs);
      timer.unref();
      void sse.closed.then(() => {
        clearInterval(timer);
        unsubscribe();
      });
      await pump();
    },
  });
}
