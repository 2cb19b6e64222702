/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { isUniqueViolation } from '@aegis/common';
import { describeOnBothStores, openSseClient, type ReceivedEvent } from '@aegis/testing';
import type { Assessment, Forecasts } from '../../tools';
import { startToolPlatform, type ToolPlatform } from '../../tools/__tests__/platform-harness';
import {
  countRows,
  operator,
  otherTenant,
  startWorkspaceHarness,
  viewer,
  type WorkspaceHarness,
} from './harness';

/** UNIVERSITY 7-12 1H: flaring under R32-0041235-1 at about 85 % of its volume on the demo day. */
const WELL = '42-317-30000-00';
const WELL_ID = '42317300000000';
const GATHERING_PLAN = 4;
const FLARING_ITEM = 5;
const FORECAST_ITEM = 6;
const ATTESTATION = 9;
/** UNIVERSITY 7-12 5H, about 900 ft from 4H (Rule 37). */
const PERMITTED_WELL = '42317300440000';
const NEIGHBOUR_WELL = '42317300330000';

const waitFor = async <T>(what: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('Timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describeOnBothStores('filing workspaces', 'workspaces.db', (url) => {
  let platform: ToolPlatform;
  let h: WorkspaceHarness;

  beforeAll(async () => {
    platform = await startToolPlatform();
    h = await startWorkspaceHarness(url(), platform);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await platform?.close();
  });

  const newChecklist = async (caller = operator) => {
    const r = await h.request(caller, 'POST', '/checklists', {
      template_id: 'r32-flaring-exception',
      entity_id: WELL,
    });
    expect(r.status).toBe(201);
    return r.body.checklist_id as string;
  };
  const upload = async (id: string, idx: number) => {
    const form = new FormData();
    form.append(
      'file',
      new Blob(['Connect to the gathering line by 2026-08-01'], { type: 'text/plain' }),
      'plan.txt',
    );
    const res = await fetch(`${h.base}/checklists/${id}/items/${idx}/artifacts`, {
      method: 'POST',
      headers: await h.headers(operator),
      body: form,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { artifact_id: string; sha256: string };
  };
  const finished = (id: string, caller = operator) =>
    waitFor(async () => {
      const r = await h.request(caller, 'GET', `/workspaces/${id}`);
      return ['completed', 'failed'].includes(r.body.assessment?.status) ? r.body : undefined;
    });
  const readStream = async (id: string, headers: Record<string, string> = {}) => {
    const client = await openSseClient(`${h.base}/workspaces/${id}/stream`, {
      ...(await h.headers(operator)),
      ...headers,
    });
    await client.waitFor((e) => e.event === 'done', 15_000);
    await client.ended;
    return client;
  };

  describe('GET /workspaces/{checklist_id}, POST …/assess and GET …/stream', () => {
    it('assesses an R-32 checklist with the Rule 32 agent, streams its progress and stores the evidence', async () => {
      // GIVEN an R-32 checklist for the demo well with the gathering plan attached
      const id = await newChecklist();
      const artifact = await upload(id, GATHERING_PLAN);
      const before = await h.request(viewer, 'GET', `/workspaces/${id}`);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ checklist: { checklist_id: id }, assessment: null });
      expect(before.body.artifacts.map((a: any) => a.sha256)).toEqual([artifact.sha256]);

      // WHEN the operator starts an assessment and watches the stream
      const started = await h.request(operator, 'POST', `/workspaces/${id}/assess`);
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ checklist_id: id, status: 'queued' });
      expect(started.body.assessment_id).toMatch(/^asm-[0-9a-f]{24}$/);
      const stream = await readStream(id);
      const body = await finished(id);

      // THEN the events come in order, each with an id, ending with done
      const events = stream.events;
      expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
      expect(events[0]).toMatchObject({
        event: 'agent_status',
        data: { status: 'thinking', agent_id: 'rule32-agent' },
      });
      expect(events.at(-1)).toMatchObject({
        event: 'done',
        data: { status: 'completed', event_type: 'done' },
      });
      expect(events.every((e) => (e.data as any).assessment_id === started.body.assessment_id)).toBe(true);
      const updates = events.filter((e) => e.event === 'checklist_item_update').map((e) => e.data as any);
      expect(updates.map((u) => u.item_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const flaringCall = events.findIndex(
        (e) => e.event === 'tool_call' && (e.data as any).tool_name === 'flaring_assess',
      );
      expect(events[flaringCall + 1]).toMatchObject({
        event: 'tool_result',
        data: { tool_name: 'flaring_assess', item_index: FLARING_ITEM },
      });
      expect(flaringCall).toBeLessThan(
        events.findIndex(
          (e) => e.event === 'checklist_item_update' && (e.data as any).item_index === FLARING_ITEM,
        ),
      );
      // The R-32 validation is derived once from the assembled draft and shared by items 1-3.
      expect(
        events.filter((e) => e.event === 'tool_call' && (e.data as any).tool_name === 'r32_validate'),
      ).toHaveLength(1);

      // AND the per-item results carry the flaring monitor's own figures
      const a = body.assessment;
      expect(a).toMatchObject({ status: 'completed', agent_id: 'rule32-agent', error: null });
      expect(a.items).toHaveLength(10);
      const theirs = await platform.direct<Assessment>('flaring-monitor', 'POST', '/flaring/assess', {
        well_id: WELL_ID,
        as_of: platform.asOf,
      });
      const flaring = a.items[FLARING_ITEM];
      const call = flaring.evidence.calls[0];
      expect(call).toMatchObject({
        tool_name: 'flaring_assess',
        role: 'assessment',
        arguments: { well_id: WELL_ID, as_of: platform.asOf },
        error: null,
      });
      // Every figure is the monitor's own (same authorisations, same values).
      expect(call.figures.authorizations).toHaveLength(theirs.authorizations.length);
      expect(theirs.authorizations).toMatchObject(call.figures.authorizations);
      expect(call.figures.authorizations[0]).toMatchObject({
        authorization_id: 'R32-0041235-1',
        volume_pct: expect.any(Number),
      });
      expect(call.summary).toContain('R32-0041235-1');
      expect(flaring.outcome).toBe(theirs.level === 'critical' ? 'action_needed' : 'passed');
      const forecast = await platform.direct<Forecasts>('flaring-monitor', 'POST', '/flaring/forecast', {
        well_id: WELL_ID,
        as_of: platform.asOf,
      });
      expect(a.items[FORECAST_ITEM].evidence.calls[0].figures.forecasts[0]).toMatchObject({
        authorization_id: forecast.data[0].authorization_id,
        burn_rate_mcf_per_day: forecast.data[0].burn_rate_mcf_per_day,
        exhaustion_date: forecast.data[0].exhaustion_date,
      });
      expect(a.items[0]).toMatchObject({
        outcome: 'passed',
        evidence: { calls: [{ tool_name: 'context_assemble', figures: { api_number: WELL_ID } }] },
      });
      expect(a.items[1].evidence.calls.map((c: any) => [c.tool_name, c.role])).toEqual([
        ['assemble_filing_draft', 'derivation'],
        ['r32_validate', 'assessment'],
      ]);
      expect(a.items[GATHERING_PLAN]).toMatchObject({
        outcome: 'passed',
        status_after: 'complete',
        evidence: {
          item_type: 'document',
          calls: [],
          artifacts: [{ artifact_id: artifact.artifact_id, sha256: artifact.sha256 }],
        },
      });
      expect(a.items[7]).toMatchObject({ outcome: 'action_needed', status_after: 'in_progress' }); // no gas analysis
      expect(a.items[ATTESTATION]).toMatchObject({
        outcome: 'needs_human',
        status_before: 'pending',
        status_after: 'pending',
      });

      // AND the item statuses moved through the checklists module, as the stream said
      for (const u of updates) expect(body.checklist.items[u.item_index].status).toBe(u.status);
      expect(body.checklist.items[FLARING_ITEM].updated_by).toBe(
        flaring.status_after === 'pending' ? null : 'agent:rule32-agent',
      );
      const stored = await h.request(operator, 'GET', `/checklists/${id}`);
      expect(stored.body.items.map((i: any) => i.status)).toEqual(a.items.map((i: any) => i.status_after));
    });

    it('assesses a W-1 checklist with the Rule 37 agent: the spacing violation asks for action', async () => {
      const r = await h.request(operator, 'POST', '/checklists', {
        template_id: 'w1-rule37-exception',
        entity_id: PERMITTED_WELL,
      });
      expect(r.status).toBe(201);
      const id = r.body.checklist_id as string;
      expect((await h.request(operator, 'POST', `/workspaces/${id}/assess`)).status).toBe(202);
      const a = (await finished(id)).assessment;
      expect(a).toMatchObject({ status: 'completed', agent_id: 'rule37-agent' });
      const offsets = a.items[3];
      expect(offsets).toMatchObject({ outcome: 'action_needed', status_after: 'in_progress' });
      const call = offsets.evidence.calls[0];
      expect(call).toMatchObject({ tool_name: 'rule37_spacing', arguments: { well_id: PERMITTED_WELL } });
      expect(call.figures.minimums).toMatchObject({ between_well_ft: 1200 });
      expect(call.figures.violations).toEqual([
        expect.objectContaining({ kind: 'between_well', well_id: NEIGHBOUR_WELL, minimum_ft: 1200 }),
      ]);
      expect(call.figures.violations[0].distance_ft).toBeLessThan(1200);
      // The one spacing call serves both spacing items.
      expect(a.items[2].evidence.calls[0].started_at).toBe(call.started_at);
      expect(a.items[4]).toMatchObject({ outcome: 'not_assessed', status_after: 'pending' }); // graph_query
      expect(a.items[1]).toMatchObject({ outcome: 'action_needed', evidence: { artifacts: [] } }); // no plat
      expect(a.items[8]).toMatchObject({ outcome: 'needs_human' });
    });

    it('replays from Last-Event-ID and ends after done', async () => {
      const id = await newChecklist();
      await h.request(operator, 'POST', `/workspaces/${id}/assess`);
      await finished(id);
      const all = await readStream(id);
      const from = all.events[4].id!;
      const resumed = await readStream(id, { 'last-event-id': from });
      expect(resumed.events.map((e: ReceivedEvent) => e.id)).toEqual(all.events.slice(5).map((e) => e.id));
      const bad = await fetch(`${h.base}/workspaces/${id}/stream`, {
        headers: { ...(await h.headers(operator)), 'last-event-id': 'abc' },
      });
      expect(bad.status).toBe(422);
      expect(await bad.json()).toMatchObject({
        code: 'validation_error',
        detail: [{ loc: ['header', 'Last-Event-ID'] }],
      });
    });

    it('answers 409 while an assessment runs, storing nothing, and a disconnected stream does not stop it', async () => {
      const id = await newChecklist();
      let release!: () => void;
      h.gate.wait = new Promise<void>((r) => (release = r));
      try {
        const first = await h.request(operator, 'POST', `/workspaces/${id}/assess`);
        expect(first.status).toBe(202);
        const client = await openSseClient(`${h.base}/workspaces/${id}/stream`, await h.headers(operator));
        await client.waitFor((e) => e.event === 'tool_call');
        client.close();
        const rows = await countRows(h.store, 'workspace_assessments');
        const second = await h.request(operator, 'POST', `/workspaces/${id}/assess`);
        expect(second.status).toBe(409);
        expect(second.body).toMatchObject({ code: 'assessment_running', request_id: expect.any(String) });
        expect(second.body.detail).toContain(first.body.assessment_id);
        expect(await countRows(h.store, 'workspace_assessments')).toBe(rows);
      } finally {
        h.gate.wait = undefined;
        release();
      }
      const body = await finished(id);
      expect(body.assessment).toMatchObject({ status: 'completed' });
      expect(body.assessment.items).toHaveLength(10);
    });

    it('starts one of two concurrent requests and answers 409 to the other', async () => {
      const id = await newChecklist();
      let release!: () => void;
      h.gate.wait = new Promise<void>((r) => (release = r));
      try {
        const answers = await Promise.all([
          h.request(operator, 'POST', `/workspaces/${id}/assess`),
          h.request(operator, 'POST', `/workspaces/${id}/assess`),
        ]);
        expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
        expect(answers.find((a) => a.status === 409)!.body).toMatchObject({ code: 'assessment_running' });
        const rows = await h.store.db
          .selectFrom('workspace_assessments')
          .select('assessment_id')
          .where('tenant_id', '=', 'default')
          .where('checklist_id', '=', id)
          .execute();
        expect(rows).toHaveLength(1);
        // The partial unique index holds even for a writer that skips the check (another replica).
        const second = h.store.db
          .insertInto('workspace_assessments')
          .values({
            assessment_id: 'asm-000000000000000000000002',
            tenant_id: 'default',
            checklist_id: id,
            agent_id: 'rule32-agent',
            agent_version: 1,
            status: 'queued',
            requested_by: 'olga',
            created_at: '2026-06-20T12:00:00.000Z',
            started_at: null,
            finished_at: null,
            heartbeat_at: '2026-06-20T12:00:00.000Z',
            error_code: null,
            error_message: null,
            summary: null,
          })
          .execute();
        expect(
          isUniqueViolation(
            await second.then(
              () => undefined,
              (err: unknown) => err,
            ),
          ),
        ).toBe(true);
      } finally {
        h.gate.wait = undefined;
        release();
      }
      expect((await finished(id)).assessment.status).toBe('completed');
    });

    it('takes over an assessment whose process stopped (stale heartbeat)', async () => {
      const id = await newChecklist();
      await h.store.db
        .insertInto('workspace_assessments')
        .values({
          assessment_id: 'asm-000000000000000000000001',
          tenant_id: 'default',
          checklist_id: id,
          agent_id: 'rule32-agent',
          agent_version: 1,
          status: 'running',
          requested_by: 'olga',
          created_at: '2026-06-20T10:00:00.000Z',
          started_at: '2026-06-20T10:00:00.000Z',
          finished_at: null,
          heartbeat_at: '2026-06-20T10:00:00.000Z',
          error_code: null,
          error_message: null,
          summary: null,
        })
        .execute();
      const r = await h.request(operator, 'POST', `/workspaces/${id}/assess`);
      expect(r.status).toBe(202);
      const old = await h.store.db
        .selectFrom('workspace_assessments')
        .selectAll()
        .where('assessment_id', '=', 'asm-000000000000000000000001')
        .executeTakeFirstOrThrow();
      expect(old).toMatchObject({ status: 'failed', error_code: 'assessment_abandoned' });
      expect((await finished(id)).assessment.assessment_id).toBe(r.body.assessment_id);
    });

    it('ends failed with error and done events when the service identity cannot act, changing no item', async () => {
      const id = await newChecklist();
      const callerFor = h.runtime.callerFor;
      h.runtime.callerFor = () => Promise.reject(new Error('auth service unreachable'));
      try {
        expect((await h.request(operator, 'POST', `/workspaces/${id}/assess`)).status).toBe(202);
        const stream = await readStream(id);
        expect(stream.events.map((e) => e.event)).toEqual(['agent_status', 'error', 'done']);
        expect(stream.events[1].data).toMatchObject({
          code: 'assessment_failed',
          message: expect.any(String),
        });
        expect(JSON.stringify(stream.events)).not.toContain('auth service unreachable');
        const body = await finished(id);
        expect(body.assessment).toMatchObject({
          status: 'failed',
          error: { code: 'assessment_failed' },
          items: [],
        });
        expect(body.checklist.items.every((i: any) => i.status === 'pending')).toBe(true);
      } finally {
        h.runtime.callerFor = callerFor;
      }
    });

    it('refuses a locked checklist (409), an unknown one (404) and a malformed id (422), storing nothing', async () => {
      const id = await newChecklist();
      await h.store.db
        .updateTable('checklists')
        .set({ status: 'approved' })
        .where('checklist_id', '=', id)
        .execute();
      const before = await countRows(h.store, 'workspace_assessments');
      const locked = await h.request(operator, 'POST', `/workspaces/${id}/assess`);
      expect(locked.status).toBe(409);
      expect(locked.body).toMatchObject({ code: 'checklist_locked', request_id: expect.any(String) });
      const unknown = await h.request(operator, 'POST', `/workspaces/chk-${'0'.repeat(24)}/assess`);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
      expect((await h.request(operator, 'GET', `/workspaces/chk-${'0'.repeat(24)}`)).status).toBe(404);
      const bad = await h.request(operator, 'POST', '/workspaces/nope/assess');
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['path', 'checklist_id']);
      const body = await h.request(operator, 'POST', `/workspaces/${id}/assess`, { extra: 1 });
      expect(body.status).toBe(422);
      expect(await countRows(h.store, 'workspace_assessments')).toBe(before);
      expect(await countRows(h.store, 'workspace_events')).toBe(await countRows(h.store, 'workspace_events'));
    });

    it('lets a viewer read but not start an assessment', async () => {
      const id = await newChecklist();
      expect((await h.request(viewer, 'POST', `/workspaces/${id}/assess`)).status).toBe(403);
      expect((await h.request(viewer, 'GET', `/workspaces/${id}`)).status).toBe(200);
    });

    it('keeps tenants apart: another tenant sees 404, and its own assessment reads only its own data', async () => {
      const id = await newChecklist();
      const events = await countRows(h.store, 'workspace_events');
      const assessments = await countRows(h.store, 'workspace_assessments');
      expect((await h.request(otherTenant, 'GET', `/workspaces/${id}`)).status).toBe(404);
      const post = await h.request(otherTenant, 'POST', `/workspaces/${id}/assess`);
      expect(post.status).toBe(404);
      expect(post.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
      const s = await fetch(`${h.base}/workspaces/${id}/stream`, { headers: await h.headers(otherTenant) });
      expect(s.status).toBe(404);
      expect(await countRows(h.store, 'workspace_assessments', 'tenant-b')).toBe(0);
      expect(await countRows(h.store, 'workspace_events')).toBe(events);
      expect(await countRows(h.store, 'workspace_assessments')).toBe(assessments);

      // tenant-b's own checklist for the same API number: the tools act on tenant-b, whose graph and
      // monitors know nothing of the demo well, so no figure of tenant default shows up.
      const theirs = await newChecklist(otherTenant);
      expect((await h.request(otherTenant, 'POST', `/workspaces/${theirs}/assess`)).status).toBe(202);
      const body = await finished(theirs, otherTenant);
      const assessed = body.assessment.items.filter((i: any) => i.evidence.calls.length > 0);
      expect(assessed.length).toBeGreaterThan(0);
      for (const item of assessed) expect(item.outcome).not.toBe('passed');
      expect(JSON.stringify(body.assessment)).not.toContain('R32-0041235-1');
      expect(await countRows(h.store, 'workspace_events')).toBe(events);
    });
  });
});
