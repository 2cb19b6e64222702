/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { buildDemoGraph } from '@aegis/demo';
import { expectError, useOrchestrationPlatform } from '../orchestration/platform';
import { filingFlowSuite } from './flow-suite';
import {
  completeRequired,
  createChecklist,
  demoAuthorisedWell,
  download,
  sha256,
  uploadArtifact,
} from './helpers';

/** Small enough to exceed in a test; the flow's evidence is far below it. */
const MAX_BYTES = 64 * 1024;

/**
 * Filing checklists, workspaces, rules, filings and the dashboard through the gateway, the
 * orchestration on SQLite (its default store): the filing flow, the rules library's lifecycle,
 * artifact limits and checksums, the compliance dashboard against the compliance monitor's own
 * figures, and bad input on every new endpoint family in the error shape with nothing stored.
 */
describe('filing checklists, rules, artifacts and the dashboard through the gateway (SQLite)', () => {
  const p = useOrchestrationPlatform({ orchestrationEnv: { ARTIFACT_MAX_BYTES: String(MAX_BYTES) } });
  const { well } = demoAuthorisedWell();
  const today = new Date().toISOString().slice(0, 10);

  describe('the filing flow', () => filingFlowSuite(p));

  describe('rules library', () => {
    it('lists the bundled rules; a new version activated supersedes the previous one; an illegal step is 409', async () => {
      const rules = await p.viewer.call('GET', '/api/v1/rules?page_size=100');
      expect(rules.status).toBe(200);
      const keys = (rules.body.data as any[]).filter((r) => r.source === 'bundled').map((r) => r.rule_key);
      expect(keys.sort()).toEqual(['form_pr', 'nsps_oooob', 'rule_32', 'rule_37']);
      const rule37 = (rules.body.data as any[]).find((r) => r.rule_key === 'rule_37');
      expect(rule37).toMatchObject({ status: 'active', active_version: 1 });
      const detail = await p.viewer.call('GET', `/api/v1/rules/${rule37.rule_id}`);
      // 16 TAC §3.37: 467 ft to a lease line, 1,200 ft between wells.
      expect(detail.body.current.parameters).toMatchObject({
        lease_line_min_ft: 467,
        between_well_min_ft: 1_200,
      });
      const parameters = { ...detail.body.current.parameters, between_well_min_ft: 1_320 };

      // Only an admin adds versions; a bad parameter is a 422 naming it; neither stores anything.
      expectError(
        await p.operator.call('POST', `/api/v1/rules/${rule37.rule_id}/versions`, { parameters }),
        403,
        'insufficient_role',
      );
      expectError(
        await p.admin.call('POST', `/api/v1/rules/${rule37.rule_id}/versions`, {
          parameters: { ...parameters, between_well_min_ft: 'far' },
        }),
        422,
        'validation_error',
      );
      expect((await p.viewer.call('GET', `/api/v1/rules/${rule37.rule_id}`)).body.latest_version).toBe(1);

      const created = await p.admin.call('POST', `/api/v1/rules/${rule37.rule_id}/versions`, {
        parameters,
        note: 'Field rule spacing',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ version: 2, status: 'draft' });
      const activated = await p.admin.call('POST', `/api/v1/rules/${rule37.rule_id}/transition`, {
        to: 'active',
        version: 2,
      });
      expect(activated.status).toBe(200);
      const versions = await p.viewer.call('GET', `/api/v1/rules/${rule37.rule_id}/versions`);
      const byVersion = Object.fromEntries((versions.body.data as any[]).map((v) => [v.version, v.status]));
      expect(byVersion).toEqual({ 1: 'superseded', 2: 'active' });
      const after = (await p.viewer.call('GET', `/api/v1/rules/${rule37.rule_id}`)).body;
      expect(after).toMatchObject({
        active_version: 2,
        current: { parameters: { between_well_min_ft: 1_320 } },
      });

      // A superseded version is final: 409, nothing changes.
      expectError(
        await p.admin.call('POST', `/api/v1/rules/${rule37.rule_id}/transition`, {
          to: 'active',
          version: 1,
        }),
        409,
        'illegal_transition',
      );
      expect((await p.viewer.call('GET', `/api/v1/rules/${rule37.rule_id}`)).body).toEqual(after);
      expectError(await p.viewer.call('GET', '/api/v1/rules/rul-nope'), 404, 'not_found');
      expectError(await p.viewer.call('GET', '/api/v1/rules/NOT-A-RULE'), 422, 'validation_error');
    });
  });

  describe('artifacts', () => {
    it('refuses an upload over ARTIFACT_MAX_BYTES with 413 and lists nothing; one at the limit is stored with its checksum', async () => {
      const c = await createChecklist(p.operator, well);
      const item = (c.items as any[]).find((i) => i.item_type === 'document').index as number;
      const tooLarge = await uploadArtifact(
        p.base,
        p.operator,
        c.checklist_id,
        item,
        Buffer.alloc(MAX_BYTES + 1, 7),
      );
      expectError(tooLarge, 413, 'upload_too_large');
      const listed = await p.operator.call('GET', `/api/v1/checklists/${c.checklist_id}/artifacts`);
      expect(listed.body.total).toBe(0);

      const atLimit = Buffer.alloc(MAX_BYTES, 9);
      const other = Buffer.from('another document, same name');
      const a = await uploadArtifact(p.base, p.operator, c.checklist_id, item, atLimit, 'plan.pdf');
      const b = await uploadArtifact(p.base, p.operator, c.checklist_id, item, other, 'plan.pdf');
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(a.body).toMatchObject({ size_bytes: MAX_BYTES, sha256: sha256(atLimit) });
      expect(b.body).toMatchObject({ size_bytes: other.length, sha256: sha256(other) });
      for (const [art, bytes] of [
        [a.body, atLimit],
        [b.body, other],
      ] as const) {
        const got = await download(p.base, p.viewer, art.content_url);
        expect(got.status).toBe(200);
        expect(sha256(got.bytes)).toBe(art.sha256);
        expect(got.bytes.length).toBe(bytes.length);
      }
      const items = await p.viewer.call(
        'GET',
        `/api/v1/checklists/${c.checklist_id}/items/${item}/artifacts`,
      );
      expect((items.body.data as any[]).map((x) => x.sha256).sort()).toEqual(
        [a.body.sha256, b.body.sha256].sort(),
      );

      // Deleted: gone from the list and the download.
      const path = a.body.content_url.replace(/\/content$/, '');
      expect((await p.operator.call('DELETE', `/api/v1${path}`)).status).toBe(204);
      expectError(await p.operator.call('GET', `/api/v1${path}`), 404, 'not_found');
      expect((await download(p.base, p.viewer, a.body.content_url)).status).toBe(404);
      expect((await p.viewer.call('GET', `/api/v1/checklists/${c.checklist_id}/artifacts`)).body.total).toBe(
        1,
      );
    });

    it('answers 415 for a body that is not multipart and 422 without a file part, storing nothing', async () => {
      const c = await createChecklist(p.operator, well);
      const url = `/api/v1/checklists/${c.checklist_id}/items/4/artifacts`;
      expectError(await p.operator.call('POST', url, { file: 'not a file' }), 415, 'unsupported_media_type');
      const form = new FormData();
      form.append('note', 'no file here');
      const res = await fetch(`${p.base}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.operator.token}` },
        body: form,
      });
      expectError({ status: res.status, body: await res.json() }, 422, 'validation_error');
      expect((await p.viewer.call('GET', `/api/v1/checklists/${c.checklist_id}/artifacts`)).body.total).toBe(
        0,
      );
    });
  });

  describe('compliance dashboard', () => {
    it('agrees with the compliance monitor’s own deadline figures for the same tenant and day', async () => {
      const summary = await p.viewer.call('GET', `/api/v1/compliance/summary?as_of=${today}`);
      expect(summary.status).toBe(200);
      const card = (key: string) => (summary.body.cards as any[]).find((c) => c.key === key);
      const monitor = await p.viewer.call('POST', '/api/v1/compliance/deadlines', {
        as_of: today,
        window_days: 30,
      });
      expect(monitor.status).toBe(200);
      expect(card('overdue').count + card('due_7d').count).toBe(monitor.body.counts.critical);
      expect(card('due_30d').count).toBe(monitor.body.counts.warning);
      for (const key of ['overdue', 'due_7d', 'due_30d', 'anomalies'])
        expect(card(key).delta).toBe(card(key).count - card(key).previous);
      // The demo promises deadlines overdue, within 7 and within 30 days.
      expect(card('overdue').count).toBeGreaterThan(0);
      expect(card('due_30d').count).toBeGreaterThan(0);

      // GET deadlines reaches the orchestration (POST stays the monitor's): the same deadlines.
      const list = await p.viewer.call(
        'GET',
        `/api/v1/compliance/deadlines?window_days=30&as_of=${today}&page_size=100`,
      );
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ window_days: 30, as_of: today });
      expect(list.body.total).toBe(monitor.body.counts.critical + monitor.body.counts.warning);

      // One matrix row per demo well.
      const matrix = await p.viewer.call('GET', `/api/v1/compliance/matrix?as_of=${today}&page_size=100`);
      expect(matrix.status).toBe(200);
      expect(matrix.body.total).toBe(buildDemoGraph(today).wells.length);
      const overdueWells = new Set(
        (list.body.data as any[])
          .filter((d) => d.bucket === 'overdue' && d.domain)
          .flatMap((d) => d.well_ids),
      );
      for (const id of overdueWells)
        expect((matrix.body.data as any[]).find((r) => r.entity_id === id)?.worst).toBe('overdue');
    });

    it('shows a checklist in review as in_review in its domain’s cell', async () => {
      const other = well;
      const c = await createChecklist(p.operator, other);
      await completeRequired(p.base, p.operator, c.checklist_id);
      const submitted = await p.operator.call('POST', `/api/v1/checklists/${c.checklist_id}/submit`, {});
      expect(submitted.status).toBe(200);
      const matrix = await p.viewer.call('GET', '/api/v1/compliance/matrix?domain=rule_32&status=in_review');
      expect(matrix.status).toBe(200);
      expect((matrix.body.data as any[]).map((r) => r.entity_id)).toContain(other);
      // In review, the checklist cannot be assessed again.
      expectError(
        await p.operator.call('POST', `/api/v1/workspaces/${c.checklist_id}/assess`),
        409,
        'checklist_locked',
      );
    });

    it('answers 422 in the error shape for bad dashboard parameters', async () => {
      for (const path of [
        '/api/v1/compliance/deadlines?window_days=366',
        '/api/v1/compliance/summary?period_days=0',
        '/api/v1/compliance/matrix?sort_by=nope',
        '/api/v1/compliance/trend?periods=13',
      ])
        expectError(await p.viewer.call('GET', path), 422, 'validation_error');
    });
  });

  describe('bad input on checklists, workspaces and filings', () => {
    it('refuses unknown templates and entities, illegal item steps and unknown ids, storing nothing', async () => {
      const before = (await p.viewer.call('GET', '/api/v1/checklists')).body.total;
      expectError(
        await p.operator.call('POST', '/api/v1/checklists', {
          template_id: 'r32-flaring-exception',
          entity_id: '42000000000000',
        }),
        422,
        'validation_error',
        ['body', 'entity_id'],
      );
      const unknownTemplate = await p.operator.call('POST', '/api/v1/checklists', {
        template_id: 'nope',
        entity_id: well,
      });
      expect([404, 422]).toContain(unknownTemplate.status);
      expectError(unknownTemplate, unknownTemplate.status, unknownTemplate.body.code);
      expectError(await p.operator.call('POST', '/api/v1/checklists', {}), 422, 'validation_error', [
        'body',
        'template_id',
      ]);
      expectError(
        await p.viewer.call('POST', '/api/v1/checklists', {
          template_id: 'r32-flaring-exception',
          entity_id: well,
        }),
        403,
        'insufficient_role',
      );
      expect((await p.viewer.call('GET', '/api/v1/checklists')).body.total).toBe(before);

      const c = await createChecklist(p.operator, well);
      const doc = (c.items as any[]).find((i) => i.item_type === 'document' && i.required).index;
      // A required document is complete only with an artifact; a required item is never not_applicable;
      // an exception is set only by POST …/exception (not a status PATCH accepts).
      expectError(
        await p.operator.call('PATCH', `/api/v1/checklists/${c.checklist_id}/items/${doc}`, {
          status: 'complete',
        }),
        409,
        'illegal_transition',
      );
      expectError(
        await p.operator.call('PATCH', `/api/v1/checklists/${c.checklist_id}/items/0`, {
          status: 'not_applicable',
        }),
        409,
        'illegal_transition',
      );
      for (const status of ['exception', 'finished'])
        expectError(
          await p.operator.call('PATCH', `/api/v1/checklists/${c.checklist_id}/items/0`, { status }),
          422,
          'validation_error',
          ['body', 'status'],
        );
      expectError(
        await p.operator.call('PATCH', `/api/v1/checklists/${c.checklist_id}/items/${c.items.length}`, {
          status: 'complete',
        }),
        404,
        'not_found',
      );
      const items = (await p.viewer.call('GET', `/api/v1/checklists/${c.checklist_id}`)).body.items as any[];
      expect(items.every((i) => i.status === 'pending')).toBe(true);

      const NO_CHECKLIST = 'chk-000000000000000000000000';
      const NO_FILING = 'fil-000000000000000000000000';
      for (const [method, path] of [
        ['GET', `/api/v1/checklists/${NO_CHECKLIST}`],
        ['GET', `/api/v1/workspaces/${NO_CHECKLIST}`],
        ['POST', `/api/v1/workspaces/${NO_CHECKLIST}/assess`],
        ['GET', `/api/v1/compliance/filings/${NO_FILING}`],
        ['GET', `/api/v1/compliance/filings/${NO_FILING}/document`],
      ])
        expectError(await p.operator.call(method, path), 404, 'not_found');
      expectError(
        await p.viewer.call('POST', `/api/v1/workspaces/${c.checklist_id}/assess`),
        403,
        'insufficient_role',
      );
      expect((await p.viewer.call('GET', `/api/v1/workspaces/${c.checklist_id}`)).body.assessment).toBeNull();

      expectError(
        await p.viewer.call('GET', '/api/v1/compliance/filings?sort_by=nope'),
        422,
        'validation_error',
        ['query', 'sort_by'],
      );
    });
  });
});
