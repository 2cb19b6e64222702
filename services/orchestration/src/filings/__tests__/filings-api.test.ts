import { createHash } from 'node:crypto';
import { formatApiNumber } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { PDFDocument } from 'pdf-lib';
import { getChecklist } from '../../checklists';
import { flushFilingAudit } from '../audit';
import { produceFiling } from '../produce';
import { transitionFiling } from '../transition';
import {
  AUTHORIZATION,
  countRows,
  OFFSET,
  operator,
  otherTenant,
  reviewer,
  startHarness,
  viewer,
  WELL,
  type Harness,
} from './harness';
import { pdfText } from './pdf-text';

describeOnBothStores('filing packages', 'filings.db', (url) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(url());
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('produced when a checklist’s approval is granted', () => {
    let r32: Awaited<ReturnType<Harness['approvedFiling']>>;
    beforeAll(async () => {
      r32 = await h.approvedFiling('r32-flaring-exception');
    });

    it('is a draft R-32 package built from the checklist, its evidence, the graph and the flaring monitor', async () => {
      const res = await h.request(viewer, 'GET', `/compliance/filings/${r32.filing.filing_id}`);
      expect(res.status).toBe(200);
      const f = res.body;
      expect(f).toMatchObject({
        filing_id: expect.stringMatching(/^fil-[0-9a-f]{24}$/),
        checklist_id: r32.checklistId,
        approval_id: r32.approvalId,
        form_type: 'R-32',
        entity_label: 'Well',
        entity_id: WELL,
        status: 'draft',
        document: { media_type: 'application/pdf', url: `/compliance/filings/${f.filing_id}/document` },
      });
      expect(f.source.facts).toMatchObject({
        well: { api_number: WELL, name: 'UNIVERSITY 7-12 1H' },
        lease: { lease_id: 'LSE-08-41235', lease_number: '41235' },
        operator: { operator_id: 'OP-123456', operator_number: '123456' },
        flaring: {
          requested_volume_mcf_per_day: AUTHORIZATION.mcfPerDay,
          requested_days: 180,
          cumulative_volume_mcf: 31_416.5,
          unauthorized_volume_mcf: 120.25,
        },
      });
      // Only the authorisation covering this well (not the other well's).
      expect(
        f.source.facts.flaring.authorizations.map((a: { authorization_id: string }) => a.authorization_id),
      ).toEqual([AUTHORIZATION.id]);
      const evidence = f.source.items.flatMap((i: { evidence: { sha256: string }[] }) => i.evidence);
      expect(evidence.map((e: { sha256: string }) => e.sha256).sort()).toEqual(
        r32.evidence.map((e) => e.sha256).sort(),
      );
      expect(f.source.approval).toMatchObject({
        approval_id: r32.approvalId,
        decision: 'approved',
        reviewer: 'rita',
      });
      expect(f.history).toEqual([
        expect.objectContaining({
          seq: 1,
          from: null,
          to: 'draft',
          actor_id: 'rita',
          audit_seq: expect.any(Number),
        }),
      ]);
    });

    it('downloads as a PDF whose text shows the well’s API number, the volumes, the evidence hashes and the approval', async () => {
      const res = await h.raw(viewer, `/compliance/filings/${r32.filing.filing_id}/document`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toContain(`R-32-${r32.filing.filing_id}.pdf`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(sha).toBe(r32.filing.document.sha256);
      expect(res.headers.get('etag')).toBe(`"${sha}"`);
      expect(res.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);
      expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
      const text = pdfText(bytes);
      expect(text).toContain('RAILROAD COMMISSION OF TEXAS');
      expect(text).toContain('Form R-32');
      expect(text).toContain(`${formatApiNumber(WELL)} (${WELL})`);
      expect(text).toContain(`${AUTHORIZATION.mcfPerDay} mcf per day`);
      expect(text).toContain('180 days');
      expect(text).toContain('31,416.5 mcf');
      expect(text).toContain('Caprock Permian Operating LLC');
      for (const e of r32.evidence) {
        expect(text).toContain(`SHA-256 ${e.sha256}`);
        expect(text).toContain(e.filename);
      }
      expect(text).toContain(r32.approvalId);
      expect(text).toContain('rita');

      const again = await h.raw(viewer, `/compliance/filings/${r32.filing.filing_id}/document`, {
        'if-none-match': `"${sha}"`,
      });
      expect(again.status).toBe(304);
    });

    it('records its creation in the approval’s audit trail, which still verifies', async () => {
      const audit = await h.approvals(viewer, 'GET', `/approvals/${r32.approvalId}/audit`);
      expect(audit.body.verified).toBe(true);
      const events = audit.body.entries.filter(
        (e: { action: string }) => e.action === 'filing_status_changed',
      );
      expect(events).toEqual([
        expect.objectContaining({
          actor_id: 'service:orchestration',
          data: expect.objectContaining({
            filing_id: r32.filing.filing_id,
            from: null,
            to: 'draft',
            form_type: 'R-32',
          }),
        }),
      ]);
    });

    it('is produced once per checklist and approval: a replayed decision answers the same package', async () => {
      const [filings, events] = [
        await countRows(h.store, 'filings'),
        await countRows(h.store, 'filing_events'),
      ];
      const checklist = await getChecklist({ store: h.checklists }, 'tenant-a', r32.checklistId);
      const again = await Promise.all([
        produceFiling(h.deps, 'tenant-a', checklist, { approval_id: r32.approvalId, status: 'approved' }),
        produceFiling(h.deps, 'tenant-a', checklist, { approval_id: r32.approvalId, status: 'approved' }),
      ]);
      expect(again.map((f) => f.filing_id)).toEqual([r32.filing.filing_id, r32.filing.filing_id]);
      expect(await countRows(h.store, 'filings')).toBe(filings);
      expect(await countRows(h.store, 'filing_events')).toBe(events);
    });

    it('moves through its lifecycle, every change in the audit trail; an illegal step is 409 and changes nothing', async () => {
      const id = r32.filing.filing_id;
      const path = `/compliance/filings/${id}/transition`;
      expect((await h.request(operator, 'POST', path, { to: 'in_review' })).status).toBe(200);
      const byOperator = await h.request(operator, 'POST', path, { to: 'approved' });
      expect(byOperator.status).toBe(403);
      expect((await h.request(reviewer, 'POST', path, { to: 'approved' })).status).toBe(200);
      const submitted = await h.request(operator, 'POST', path, { to: 'submitted', reason: 'Filed online' });
      expect(submitted.status).toBe(200);
      expect(submitted.body.status).toBe('submitted');
      expect(submitted.body.history.map((e: { to: string }) => e.to)).toEqual([
        'draft',
        'in_review',
        'approved',
        'submitted',
      ]);

      const events = await countRows(h.store, 'filing_events');
      const illegal = await h.request(operator, 'POST', path, { to: 'draft' });
      expect(illegal.status).toBe(409);
      expect(illegal.body).toMatchObject({ code: 'illegal_transition', request_id: expect.any(String) });
      expect(illegal.body.detail).toBe('A submitted filing cannot become draft: it is final');
      expect(await countRows(h.store, 'filing_events')).toBe(events);
      expect((await h.request(viewer, 'GET', `/compliance/filings/${id}`)).body.status).toBe('submitted');

      const audit = await h.approvals(viewer, 'GET', `/approvals/${r32.approvalId}/audit`);
      expect(audit.body.verified).toBe(true);
      expect(
        audit.body.entries
          .filter((e: { action: string }) => e.action === 'filing_status_changed')
          .map((e: { data: { from: string | null; to: string; changed_by: string } }) => [
            e.data.from,
            e.data.to,
            e.data.changed_by,
          ]),
      ).toEqual([
        [null, 'draft', 'rita'],
        ['draft', 'in_review', 'olga'],
        ['in_review', 'approved', 'rita'],
        ['approved', 'submitted', 'olga'],
      ]);
    });
  });

  it('builds a W-1 package with the Rule 37 distances and the exception', async () => {
    const { filing } = await h.approvedFiling('w1-rule37-exception');
    expect(filing.source.facts.spacing).toMatchObject({
      rule_source: 'statewide',
      lease_line_min_ft: 467,
      between_well_min_ft: 1_200,
      nearest_offset_ft: 820.24,
      exception_required: true,
    });
    // 1,199.99 ft is inside the 1,200 ft minimum (kept as measured); exactly 1,200 ft is not (16 TAC §3.37).
    expect(
      filing.source.facts.spacing.offset_wells.map((o: { distance_ft: number }) => o.distance_ft),
    ).toEqual([820.24, 1_199.99]);
    const res = await h.raw(viewer, `/compliance/filings/${filing.filing_id}/document`);
    const text = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('Form W-1');
    expect(text).toContain(`${formatApiNumber(WELL)} (${WELL})`);
    expect(text).toContain('1,200 ft');
    expect(text).toContain('467 ft');
    expect(text).toContain('820.24 ft');
    expect(text).toContain('1,199.99 ft');
    expect(text).toContain(`Offset well ${formatApiNumber(OFFSET)}`);
    expect(text).toMatch(/Rule 37 exception requested\nYES/);
  });

  describe('GET /compliance/filings', () => {
    it('lists in the envelope with filters (an API number in any form) and a whitelisted sort', async () => {
      const all = await h.request(viewer, 'GET', '/compliance/filings');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ total: all.body.data.length, page: 1, page_size: 20 });
      expect(all.body.data.length).toBeGreaterThanOrEqual(2);
      expect(all.body.data[0]).not.toHaveProperty('source');
      const w1 = await h.request(viewer, 'GET', '/compliance/filings?form_type=W-1');
      expect(w1.body.data.every((f: { form_type: string }) => f.form_type === 'W-1')).toBe(true);
      expect(w1.body.total).toBeGreaterThanOrEqual(1);
      const byWell = await h.request(
        viewer,
        'GET',
        `/compliance/filings?entity_id=${formatApiNumber(WELL)}&sort_by=form_type&sort_dir=asc`,
      );
      expect(byWell.body.total).toBe(all.body.total);
      expect(byWell.body.data.map((f: { form_type: string }) => f.form_type)).toEqual(
        [...byWell.body.data.map((f: { form_type: string }) => f.form_type)].sort(),
      );
      const submitted = await h.request(
        viewer,
        'GET',
        '/compliance/filings?status=submitted&limit=1&offset=0',
      );
      expect(submitted.body).toMatchObject({ total: 1, limit: 1, offset: 0 });
    });

    it('answers 422 for an unknown sort column or filter value', async () => {
      const sort = await h.request(viewer, 'GET', '/compliance/filings?sort_by=document');
      expect(sort.status).toBe(422);
      expect(sort.body).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
      expect(sort.body.detail[0].loc).toEqual(['query', 'sort_by']);
      const status = await h.request(viewer, 'GET', '/compliance/filings?status=filed');
      expect(status.status).toBe(422);
      expect(status.body.detail[0].loc).toEqual(['query', 'status']);
    });
  });

  describe('tenant isolation and bad input', () => {
    let id: string;
    beforeAll(async () => {
      id = (await h.request(viewer, 'GET', '/compliance/filings?status=draft')).body.data[0].filing_id;
    });

    it('shows another tenant nothing: empty list, 404 for the filing, its document and a transition', async () => {
      const events = await countRows(h.store, 'filing_events');
      expect((await h.request(otherTenant, 'GET', '/compliance/filings')).body).toMatchObject({
        data: [],
        total: 0,
      });
      for (const [method, path, body] of [
        ['GET', `/compliance/filings/${id}`],
        ['GET', `/compliance/filings/${id}/document`],
        ['POST', `/compliance/filings/${id}/transition`, { to: 'in_review' }],
      ] as const) {
        const res = await h.request(otherTenant, method, path, body);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
      }
      expect(await countRows(h.store, 'filing_events')).toBe(events);
      expect((await h.request(viewer, 'GET', `/compliance/filings/${id}`)).body.status).toBe('draft');
    });

    it('answers 422 naming the field for a bad transition body or id, 403 for a viewer, and changes nothing', async () => {
      const events = await countRows(h.store, 'filing_events');
      const bad = await h.request(operator, 'POST', `/compliance/filings/${id}/transition`, { to: 'filed' });
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
      expect(bad.body.detail[0].loc).toEqual(['body', 'to']);
      const extra = await h.request(operator, 'POST', `/compliance/filings/${id}/transition`, {
        to: 'in_review',
        by: 'x',
      });
      expect(extra.status).toBe(422);
      const badId = await h.request(viewer, 'GET', '/compliance/filings/not-a-filing');
      expect(badId.status).toBe(422);
      expect(badId.body.detail[0].loc).toEqual(['path', 'id']);
      const missing = await h.request(viewer, 'GET', `/compliance/filings/fil-${'0'.repeat(24)}`);
      expect(missing.status).toBe(404);
      const asViewer = await h.request(viewer, 'POST', `/compliance/filings/${id}/transition`, {
        to: 'in_review',
      });
      expect(asViewer.status).toBe(403);
      expect(await countRows(h.store, 'filing_events')).toBe(events);
    });

    it('refuses to produce a package for a checklist its approval has not granted, storing nothing', async () => {
      const created = await h.request(operator, 'POST', '/checklists', {
        template_id: 'r32-flaring-exception',
        entity_id: WELL,
      });
      const checklist = await getChecklist({ store: h.checklists }, 'tenant-a', created.body.checklist_id);
      const filings = await countRows(h.store, 'filings');
      await expect(
        produceFiling(h.deps, 'tenant-a', checklist, { approval_id: 'apr-x', status: 'approved' }),
      ).rejects.toMatchObject({
        status: 409,
        code: 'filing_source_mismatch',
      });
      await expect(
        produceFiling(
          h.deps,
          'tenant-a',
          { ...checklist, approval_id: 'apr-x' },
          { approval_id: 'apr-x', status: 'approved' },
        ),
      ).rejects.toMatchObject({ status: 409, code: 'approval_not_granted' });
      expect(await countRows(h.store, 'filings')).toBe(filings);
    });
  });

  it('keeps a status change pending while the approvals service fails, and sends it on the next flush', async () => {
    const { filing, approvalId } = await h.approvedFiling('r32-flaring-exception');
    const failing = {
      ...h.serviceApprovals,
      appendAudit: () => Promise.reject(new Error('approvals unreachable')),
    };
    const moved = await transitionFiling(
      { ...h.deps, approvals: failing },
      'tenant-a',
      { userId: 'olga', roles: ['operator'] },
      filing.filing_id,
      { to: 'in_review' },
    );
    expect(moved.status).toBe('in_review');
    expect(moved.history[1]).toMatchObject({ to: 'in_review', audit_seq: null });
    expect(await flushFilingAudit(h.deps, 'tenant-a', filing.filing_id)).toBe(1);
    const read = await h.request(viewer, 'GET', `/compliance/filings/${filing.filing_id}`);
    expect(read.body.history[1].audit_seq).toEqual(expect.any(Number));
    const audit = await h.approvals(viewer, 'GET', `/approvals/${approvalId}/audit`);
    expect(audit.body.verified).toBe(true);
    expect(audit.body.entries.at(-1).data).toMatchObject({ filing_id: filing.filing_id, to: 'in_review' });
  });
});
