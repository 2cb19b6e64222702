import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describeOnBothStores } from '@aegis/testing';
import { onChecklistApprovalDecided } from '../submit';
import {
  countRows,
  fileForm,
  LEASE_ID,
  operator,
  otherTenant,
  reviewer,
  service,
  startHarness,
  viewer,
  WELL_API,
  WELL_ID,
  type Harness,
} from './harness';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Every file under a directory (recursively), to prove nothing was left behind. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describeOnBothStores('checklists API', 'checklists.db', (url) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(url());
  });
  afterAll(() => h.close());

  const create = async (templateId = 'r32-flaring-exception', entityId = WELL_API) => {
    const res = await h.request(operator, 'POST', '/checklists', {
      template_id: templateId,
      entity_id: entityId,
    });
    expect(res.status).toBe(201);
    return res.body as {
      checklist_id: string;
      items: { index: number; required: boolean; item_type: string }[];
    };
  };
  const upload = async (id: string, idx: number, content: Buffer | string, caller = operator) =>
    fetch(`${h.base}/checklists/${id}/items/${idx}/artifacts`, {
      method: 'POST',
      headers: await h.headers(caller),
      body: fileForm(content),
    });
  const setStatus = (id: string, idx: number, status: string) =>
    h.request(operator, 'PATCH', `/checklists/${id}/items/${idx}`, { status });

  /** A reviewer decides the approval; its outbox event is delivered as the orchestration's consumer
   * will (the event's `status` and `notes`). */
  const decideAndDeliver = async (approvalId: string, decision: string, notes?: string) => {
    const decided = await h.approvals(reviewer, 'POST', `/approvals/${approvalId}/decide`, {
      decision,
      notes,
    });
    expect(decided.status).toBe(200);
    const outbox = await h.approvals(
      service,
      'GET',
      '/approvals/outbox?after=0&limit=100&tenant_id=tenant-a',
    );
    const event = (
      outbox.body.data as { approval_id: string; data: { status: string; notes: string | null } }[]
    ).find((e) => e.approval_id === approvalId)!;
    return onChecklistApprovalDecided(h.store, 'tenant-a', approvalId, event.data.status, {
      notes: event.data.notes,
    });
  };

  /** Completes every required item (documents get an artifact first). */
  const completeRequired = async (
    id: string,
    items: { index: number; required: boolean; item_type: string }[],
  ) => {
    for (const item of items.filter((i) => i.required)) {
      if (item.item_type === 'document')
        expect((await upload(id, item.index, `evidence ${item.index}`)).status).toBe(201);
      expect((await setStatus(id, item.index, 'complete')).status).toBe(200);
    }
  };

  describe('GET /checklist-templates', () => {
    it('lists the R-32 and W-1 templates with typed items and their tools', async () => {
      const res = await h.request(viewer, 'GET', '/checklist-templates');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 2, page: 1, page_size: 20 });
      const r32 = res.body.data.find((t: { form_type: string }) => t.form_type === 'R-32');
      expect(r32).toMatchObject({ template_id: 'r32-flaring-exception', agent_type: 'rule_32', version: 1 });
      expect(r32.items[1]).toMatchObject({
        index: 1,
        item_type: 'calculation',
        required: true,
        tool_name: 'r32_validate',
      });
      const w1 = res.body.data.find((t: { form_type: string }) => t.form_type === 'W-1');
      expect(w1).toMatchObject({ agent_type: 'rule_37', rule: '16 TAC §3.37' });
      const filtered = await h.request(viewer, 'GET', '/checklist-templates?agent_type=rule_37');
      expect(filtered.body.data.map((t: { form_type: string }) => t.form_type)).toEqual(['W-1']);
    });
  });

  describe('POST /checklists', () => {
    it('creates a checklist for a well from the R-32 template, items pending', async () => {
      const res = await h.request(operator, 'POST', '/checklists', {
        template_id: 'r32-flaring-exception',
        entity_id: WELL_API,
        title: 'R-32 for University 7 #1',
      });
      expect(res.status).toBe(201);
      expect(res.body.checklist_id).toMatch(/^chk-[0-9a-f]{24}$/);
      expect(res.body).toMatchObject({
        entity_id: WELL_ID,
        entity_label: 'Well',
        form_type: 'R-32',
        agent_type: 'rule_32',
        status: 'open',
        title: 'R-32 for University 7 #1',
        created_by: 'olga',
      });
      expect(res.body.items[0]).toMatchObject({
        index: 0,
        status: 'pending',
        item_type: 'data',
        label: expect.any(String),
      });
      const read = await h.request(viewer, 'GET', `/checklists/${res.body.checklist_id}`);
      expect(read.status).toBe(200);
      expect(read.body.items).toHaveLength(res.body.items.length);
    });

    it('creates one for a lease where the template takes leases', async () => {
      const c = await create('r32-flaring-exception', LEASE_ID);
      expect(c).toMatchObject({ entity_label: 'Lease', entity_id: LEASE_ID });
    });

    it.each([
      [{ template_id: 'nope', entity_id: WELL_API }, 'template_id'],
      [{ template_id: 'r32-flaring-exception', entity_id: '42-317-39999-00' }, 'entity_id'],
      [{ template_id: 'w1-rule37-exception', entity_id: LEASE_ID }, 'entity_id'],
      [{ template_id: 'r32-flaring-exception', entity_id: '4231730001' + '7' }, 'entity_id'],
      [{ template_id: 'r32-flaring-exception' }, 'entity_id'],
      [{ template_id: 'r32-flaring-exception', entity_id: WELL_API, extra: 1 }, 'extra'],
    ])('answers 422 naming the field for %j and stores nothing', async (body, field) => {
      const before = [await countRows(h.store, 'checklists'), await countRows(h.store, 'checklist_items')];
      const res = await h.request(operator, 'POST', '/checklists', body);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.request_id).toEqual(expect.any(String));
      expect(JSON.stringify(res.body.detail)).toContain(field);
      expect([await countRows(h.store, 'checklists'), await countRows(h.store, 'checklist_items')]).toEqual(
        before,
      );
    });

    it('refuses a viewer (403) and stores nothing', async () => {
      const before = await countRows(h.store, 'checklists');
      const res = await h.request(viewer, 'POST', '/checklists', {
        template_id: 'r32-flaring-exception',
        entity_id: WELL_API,
      });
      expect(res.status).toBe(403);
      expect(await countRows(h.store, 'checklists')).toBe(before);
    });
  });

  describe('GET /checklists', () => {
    it('lists with the envelope, filters and a whitelisted sort', async () => {
      const w1 = await create('w1-rule37-exception');
      const res = await h.request(
        viewer,
        'GET',
        `/checklists?template_id=w1-rule37-exception&entity_id=${WELL_ID}&status=open&sort_by=created_at&sort_dir=desc`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, page_size: 20 });
      expect(res.body.data.map((c: { checklist_id: string }) => c.checklist_id)).toContain(w1.checklist_id);
      expect(res.body.data.every((c: { form_type: string }) => c.form_type === 'W-1')).toBe(true);
      const bad = await h.request(viewer, 'GET', '/checklists?sort_by=tenant_id');
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['query', 'sort_by']);
      const badStatus = await h.request(viewer, 'GET', '/checklists?status=done');
      expect(badStatus.status).toBe(422);
    });
  });

  describe('PATCH /checklists/{id} and items', () => {
    it('changes the title and notes', async () => {
      const c = await create();
      const res = await h.request(operator, 'PATCH', `/checklists/${c.checklist_id}`, {
        title: 'Renamed',
        notes: 'n',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ title: 'Renamed', notes: 'n' });
    });

    it('walks an item through its lifecycle and refuses illegal transitions with 409', async () => {
      const c = await create();
      expect((await setStatus(c.checklist_id, 1, 'in_progress')).body.items[1].status).toBe('in_progress');
      expect((await setStatus(c.checklist_id, 1, 'complete')).body.items[1].status).toBe('complete');
      const illegal = await setStatus(c.checklist_id, 1, 'pending');
      expect(illegal.status).toBe(409);
      expect(illegal.body).toMatchObject({ code: 'illegal_transition', request_id: expect.any(String) });
      expect(illegal.body.detail).toMatch(/complete to pending/);
      expect((await setStatus(c.checklist_id, 1, 'in_progress')).status).toBe(200);
      const read = await h.request(viewer, 'GET', `/checklists/${c.checklist_id}`);
      expect(read.body.items[1]).toMatchObject({ status: 'in_progress', updated_by: 'olga' });
    });

    it('refuses not_applicable for a required item and complete for a document without an artifact', async () => {
      const c = await create();
      const na = await setStatus(c.checklist_id, 0, 'not_applicable');
      expect(na.status).toBe(409);
      expect(na.body.detail).toMatch(/required/);
      const doc = c.items.find((i) => i.item_type === 'document' && i.required)!;
      const complete = await setStatus(c.checklist_id, doc.index, 'complete');
      expect(complete.status).toBe(409);
      expect(complete.body.detail).toMatch(/artifact/);
      const optional = c.items.find((i) => !i.required)!;
      expect((await setStatus(c.checklist_id, optional.index, 'not_applicable')).status).toBe(200);
      const read = await h.request(viewer, 'GET', `/checklists/${c.checklist_id}`);
      expect(read.body.items[0].status).toBe('pending');
      expect(read.body.items[doc.index].status).toBe('pending');
    });

    it('answers 404 for an unknown item or checklist, 422 for a malformed id or status', async () => {
      const c = await create();
      expect((await setStatus(c.checklist_id, 99, 'complete')).status).toBe(404);
      expect((await setStatus('chk-000000000000000000000000', 0, 'complete')).status).toBe(404);
      const bad = await setStatus('nope', 0, 'complete');
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['path', 'id']);
      const exc = await setStatus(c.checklist_id, 0, 'exception');
      expect(exc.status).toBe(422);
      expect(exc.body.detail[0].loc).toEqual(['body', 'status']);
    });
  });

  describe('artifacts', () => {
    it('stores an upload with size, media type and SHA-256, lists and downloads it byte for byte', async () => {
      const c = await create();
      const content = Buffer.from(`%PDF-1.4 plat ${'x'.repeat(5000)}`);
      const res = await upload(c.checklist_id, 4, content);
      expect(res.status).toBe(201);
      const art = (await res.json()) as Record<string, string | number>;
      expect(art).toMatchObject({
        item_index: 4,
        filename: 'plat.pdf',
        media_type: 'application/pdf',
        size_bytes: content.length,
        sha256: sha256(content),
        created_by: 'olga',
      });
      expect(art.artifact_id).toMatch(/^art-/);
      const item = await h.request(viewer, 'GET', `/checklists/${c.checklist_id}/items/4/artifacts`);
      expect(item.body).toMatchObject({ total: 1, data: [{ artifact_id: art.artifact_id }] });
      const all = await h.request(viewer, 'GET', `/checklists/${c.checklist_id}/artifacts`);
      expect(all.body.total).toBe(1);
      const one = await h.request(
        viewer,
        'GET',
        `/checklists/${c.checklist_id}/items/4/artifacts/${art.artifact_id}`,
      );
      expect(one.body.sha256).toBe(sha256(content));
      const dl = await fetch(`${h.base}${art.content_url as string}`, { headers: await h.headers(viewer) });
      expect(dl.status).toBe(200);
      expect(dl.headers.get('content-type')).toBe('application/pdf');
      expect(dl.headers.get('repr-digest')).toBe(
        `sha-256=:${Buffer.from(sha256(content), 'hex').toString('base64')}:`,
      );
      const bytes = Buffer.from(await dl.arrayBuffer());
      expect(sha256(bytes)).toBe(sha256(content));
    });

    it('downloads a file with a non-ASCII name under an ASCII fallback and its exact RFC 5987 name', async () => {
      const c = await create();
      const res = await fetch(`${h.base}/checklists/${c.checklist_id}/items/4/artifacts`, {
        method: 'POST',
        headers: await h.headers(operator),
        body: fileForm('plan', 'plan état.pdf'),
      });
      const art = (await res.json()) as { filename: string; content_url: string };
      expect(art.filename).toBe('plan état.pdf');
      const dl = await fetch(`${h.base}${art.content_url}`, { headers: await h.headers(viewer) });
      expect(dl.status).toBe(200);
      expect(dl.headers.get('content-disposition')).toBe(
        `attachment; filename="plan _tat.pdf"; filename*=UTF-8''plan%20%C3%A9tat.pdf`,
      );
    });

    it('answers 413 over ARTIFACT_MAX_BYTES and leaves no record and no file', async () => {
      const c = await create();
      const before = await countRows(h.store, 'checklist_artifacts');
      const filesBefore = filesUnder(h.artifactsDir).length;
      const res = await upload(c.checklist_id, 4, Buffer.alloc(64 * 1024 + 1, 1));
      expect(res.status).toBe(413);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: 'upload_too_large', request_id: expect.any(String) });
      expect(await countRows(h.store, 'checklist_artifacts')).toBe(before);
      expect(filesUnder(h.artifactsDir)).toHaveLength(filesBefore);
    });

    it('answers 413 before reading a body whose declared length is far over the limit', async () => {
      const c = await create();
      const before = await countRows(h.store, 'checklist_artifacts');
      const files = filesUnder(h.artifactsDir).length;
      const res = await upload(c.checklist_id, 4, Buffer.alloc(512 * 1024, 2));
      expect(res.status).toBe(413);
      expect(((await res.json()) as { code: string }).code).toBe('upload_too_large');
      expect(await countRows(h.store, 'checklist_artifacts')).toBe(before);
      expect(filesUnder(h.artifactsDir)).toHaveLength(files);
    });

    it('answers 415 for a body that is not multipart, 422 without a file part, and stores nothing', async () => {
      const c = await create();
      const before = await countRows(h.store, 'checklist_artifacts');
      const json = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/items/4/artifacts`, {
        file: 'x',
      });
      expect(json.status).toBe(415);
      const form = new FormData();
      form.append('other', 'x');
      const none = await fetch(`${h.base}/checklists/${c.checklist_id}/items/4/artifacts`, {
        method: 'POST',
        headers: await h.headers(operator),
        body: form,
      });
      expect(none.status).toBe(422);
      expect(((await none.json()) as { detail: { loc: string[] }[] }).detail[0].loc).toEqual([
        'body',
        'file',
      ]);
      expect(await countRows(h.store, 'checklist_artifacts')).toBe(before);
    });

    it('deletes an artifact and its bytes; a complete required document goes back to in_progress', async () => {
      const c = await create();
      const res = await upload(c.checklist_id, 4, 'connection plan');
      const art = (await res.json()) as { artifact_id: string };
      expect((await setStatus(c.checklist_id, 4, 'complete')).status).toBe(200);
      const files = filesUnder(h.artifactsDir).length;
      const del = await h.request(
        operator,
        'DELETE',
        `/checklists/${c.checklist_id}/items/4/artifacts/${art.artifact_id}`,
      );
      expect(del.status).toBe(204);
      expect(filesUnder(h.artifactsDir)).toHaveLength(files - 1);
      const read = await h.request(viewer, 'GET', `/checklists/${c.checklist_id}`);
      expect(read.body.items[4]).toMatchObject({ status: 'in_progress', artifact_count: 0 });
      const again = await h.request(
        operator,
        'DELETE',
        `/checklists/${c.checklist_id}/items/4/artifacts/${art.artifact_id}`,
      );
      expect(again.status).toBe(404);
    });
  });

  describe('submit, decision, exception, reject', () => {
    it('answers 409 naming the incomplete required items and creates no approval', async () => {
      const c = await create();
      await setStatus(c.checklist_id, 0, 'complete');
      const approvals = await h.approvals(reviewer, 'GET', '/approvals');
      const res = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/submit`, {});
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('checklist_incomplete');
      expect(res.body.detail).toMatch(/#1 Requested volume within limits \(pending\)/);
      expect(res.body.detail).not.toMatch(/#0 /);
      expect((await h.approvals(reviewer, 'GET', '/approvals')).body.total).toBe(approvals.body.total);
      expect((await h.request(viewer, 'GET', `/checklists/${c.checklist_id}`)).body.status).toBe('open');
    });

    it('submits a complete checklist as a pre_filing approval; the decision moves it to approved', async () => {
      const c = await create();
      await completeRequired(c.checklist_id, c.items);
      const res = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/submit`, {
        summary: 'R-32 ready',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'in_review', approval_id: expect.stringMatching(/^apr-/) });
      const approval = await h.approvals(reviewer, 'GET', `/approvals/${res.body.approval_id}`);
      expect(approval.body).toMatchObject({
        status: 'pending',
        agent_type: 'rule_32',
        checkpoint_type: 'pre_filing',
        on_behalf_of: 'olga',
        payload: {
          filing_type: 'R-32',
          entity_id: WELL_ID,
          summary: 'R-32 ready',
          checklist_id: c.checklist_id,
        },
      });
      expect(approval.body.snapshot.proposed_action).toMatchObject({
        tool_name: 'submit_filing',
        arguments: { checklist_id: c.checklist_id, form_type: 'R-32' },
      });
      expect(approval.body.snapshot.context.artifacts[0].sha256).toBe(sha256('evidence 4'));

      // Locked while in review.
      const locked = await setStatus(c.checklist_id, 0, 'in_progress');
      expect(locked.status).toBe(409);
      expect(locked.body.code).toBe('checklist_locked');
      const up = await upload(c.checklist_id, 4, 'late');
      expect(up.status).toBe(409);
      const twice = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/submit`, {});
      expect(twice.status).toBe(409);
      const reject = await h.request(reviewer, 'POST', `/checklists/${c.checklist_id}/reject`, {
        reason: 'x',
      });
      expect(reject.status).toBe(409);
      expect(reject.body.detail).toContain(res.body.approval_id);

      const moved = await decideAndDeliver(res.body.approval_id as string, 'approved');
      expect(moved).toMatchObject({ status: 'approved', checklist_id: c.checklist_id });
      expect(
        await onChecklistApprovalDecided(h.store, 'tenant-a', res.body.approval_id, 'approved'),
      ).toBeUndefined();
      expect(
        await onChecklistApprovalDecided(h.store, 'tenant-b', res.body.approval_id, 'rejected'),
      ).toBeUndefined();
      expect((await h.request(viewer, 'GET', `/checklists/${c.checklist_id}`)).body.status).toBe('approved');
    });

    it('a rejected approval returns the checklist for rework; it can be submitted again', async () => {
      const c = await create('w1-rule37-exception');
      await completeRequired(c.checklist_id, c.items);
      const first = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/submit`, {});
      const rejected = await decideAndDeliver(
        first.body.approval_id as string,
        'rejected',
        'Plat missing the bottom-hole location',
      );
      expect(rejected).toMatchObject({
        status: 'rejected',
        rejection_reason: 'Plat missing the bottom-hole location',
      });
      expect((await setStatus(c.checklist_id, 0, 'in_progress')).status).toBe(200);
      expect((await setStatus(c.checklist_id, 0, 'complete')).status).toBe(200);
      const second = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/submit`, {});
      expect(second.status).toBe(200);
      expect(second.body.approval_id).not.toBe(first.body.approval_id);
      expect(second.body.rejection_reason).toBeNull();
    });

    it('records exceptions: an item under exception counts as settled, the whole checklist gets a note', async () => {
      const c = await create();
      const optional = c.items.filter((i) => i.required && i.item_type === 'document')[0];
      const res = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/exception`, {
        item_index: optional.index,
        reason: 'Connection not possible within 60 days: no gathering line in the county',
      });
      expect(res.status).toBe(201);
      expect(res.body.items[optional.index]).toMatchObject({
        status: 'exception',
        exception_reason: expect.stringMatching(/^Connection/),
      });
      h.clock.now += 60_000;
      const note = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/exception`, {
        reason: 'Renewal',
      });
      expect(note.body.exceptions).toHaveLength(2);
      expect(note.body.exceptions[1]).toMatchObject({ item_index: null, reason: 'Renewal' });
      const before = await countRows(h.store, 'checklist_exceptions');
      const bad = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/exception`, {
        item_index: 0,
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'reason']);
      const missing = await h.request(operator, 'POST', `/checklists/${c.checklist_id}/exception`, {
        item_index: 77,
        reason: 'r',
      });
      expect(missing.status).toBe(404);
      expect(await countRows(h.store, 'checklist_exceptions')).toBe(before);
      // Withdrawn: back to pending, reason cleared.
      const withdrawn = await setStatus(c.checklist_id, optional.index, 'pending');
      expect(withdrawn.body.items[optional.index]).toMatchObject({
        status: 'pending',
        exception_reason: null,
      });
    });

    it('rejects an open checklist with a reason; rejecting again is 409', async () => {
      const c = await create();
      const res = await h.request(reviewer, 'POST', `/checklists/${c.checklist_id}/reject`, {
        reason: 'Wrong well',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'rejected', rejection_reason: 'Wrong well' });
      const again = await h.request(reviewer, 'POST', `/checklists/${c.checklist_id}/reject`, {
        reason: 'x',
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('illegal_transition');
    });
  });

  describe('tenant isolation', () => {
    it('another tenant neither sees nor changes a checklist or its artifacts', async () => {
      const c = await create();
      const up = await upload(c.checklist_id, 4, 'secret');
      const art = (await up.json()) as { artifact_id: string; content_url: string };
      expect((await h.request(otherTenant, 'GET', `/checklists/${c.checklist_id}`)).status).toBe(404);
      expect((await h.request(otherTenant, 'GET', '/checklists')).body.data).toEqual([]);
      expect(
        (
          await h.request(otherTenant, 'PATCH', `/checklists/${c.checklist_id}/items/0`, {
            status: 'complete',
          })
        ).status,
      ).toBe(404);
      expect((await h.request(otherTenant, 'GET', `/checklists/${c.checklist_id}/artifacts`)).status).toBe(
        404,
      );
      const dl = await fetch(`${h.base}${art.content_url}`, { headers: await h.headers(otherTenant) });
      expect(dl.status).toBe(404);
      expect(
        (
          await h.request(
            otherTenant,
            'DELETE',
            `/checklists/${c.checklist_id}/items/4/artifacts/${art.artifact_id}`,
          )
        ).status,
      ).toBe(404);
      expect((await upload(c.checklist_id, 4, 'x', otherTenant)).status).toBe(404);
      expect((await h.request(otherTenant, 'POST', `/checklists/${c.checklist_id}/submit`, {})).status).toBe(
        404,
      );
      // tenant-b's graph has no such well: it cannot open a checklist for tenant-a's well either.
      const create2 = await h.request(otherTenant, 'POST', '/checklists', {
        template_id: 'r32-flaring-exception',
        entity_id: WELL_API,
      });
      expect(create2.status).toBe(422);
      expect(await countRows(h.store, 'checklists', 'tenant-b')).toBe(0);
      expect((await h.request(operator, 'GET', `/checklists/${c.checklist_id}/artifacts`)).body.total).toBe(
        1,
      );
    });
  });
});
