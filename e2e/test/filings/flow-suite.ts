/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { formatApiNumber } from '@aegis/common';
import { openSseClient } from '@aegis/testing';
import { pdfText } from '../../../services/orchestration/src/filings/__tests__/pdf-text';
import {
  digitsOnly,
  expectError,
  mentionsFigure,
  type OrchestrationPlatform,
} from '../orchestration/platform';
import {
  completeRequired,
  createChecklist,
  demoAuthorisedWell,
  download,
  sha256,
  uploadArtifact,
  waitForFiling,
} from './helpers';

/**
 * The filing flow through the gateway, on the store the platform was started with: an
 * R-32 checklist for a demo well, evidence uploaded, the rule32 agent's assessment watched on the
 * workspace stream, submission (refused while required items are open), a reviewer's approval, the
 * filing package with its PDF, and the approval's audit trail. Another tenant sees none of it.
 */
export function filingFlowSuite(p: OrchestrationPlatform): void {
  const { well, mcfPerDay } = demoAuthorisedWell();
  /** Set by the flow, read by the isolation test after it. */
  const made: { checklistId?: string; artifact?: any; filing?: any } = {};

  it('creates, evidences, assesses, submits, approves and files an R-32 for a demo well, with its PDF', async () => {
    // GIVEN a checklist from the R-32 template for the well.
    const checklist = await createChecklist(p.operator, well);
    const id = checklist.checklist_id as string;
    made.checklistId = id;
    expect(checklist).toMatchObject({ status: 'open', entity_id: well, form_type: 'R-32' });
    const documents = (checklist.items as any[]).filter((i) => i.item_type === 'document');
    expect(documents.length).toBeGreaterThan(0);

    // WHEN evidence is uploaded for every document item: size and SHA-256 in the answer and on download.
    for (const item of documents) {
      const content = Buffer.from(`%PDF-1.4 evidence for item ${item.index} of ${id}\n`);
      const up = await uploadArtifact(p.base, p.operator, id, item.index, content, `item-${item.index}.pdf`);
      expect(up.status).toBe(201);
      expect(up.body).toMatchObject({
        artifact_id: expect.any(String),
        item_index: item.index,
        size_bytes: content.length,
        media_type: 'application/pdf',
        sha256: sha256(content),
      });
      const got = await download(p.base, p.operator, up.body.content_url);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(content)).toBe(true);
      expect(got.headers.get('repr-digest')).toBe(
        `sha-256=:${Buffer.from(sha256(content), 'hex').toString('base64')}:`,
      );
      made.artifact ??= up.body;
    }

    // AND the assessment runs while the workspace stream is read.
    const stream = await openSseClient(`${p.base}/api/v1/workspaces/${id}/stream`, {
      authorization: `Bearer ${p.operator.token}`,
    });
    try {
      expect(stream.status).toBe(200);
      const started = await p.operator.call('POST', `/api/v1/workspaces/${id}/assess`);
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ assessment_id: expect.any(String), status: 'queued' });
      const done = await stream.waitFor((e) => e.event === 'done', 60_000);
      expect((done.data as any).status).toBe('completed');
      await stream.ended;
      const events = stream.events;
      // Every event has an increasing id and names the assessment; `done` is the last.
      const ids = events.map((e) => Number(e.id));
      expect(ids.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of events) expect((e.data as any).assessment_id).toBe(started.body.assessment_id);
      expect(events.at(-1)!.event).toBe('done');
      const updates = events.filter((e) => e.event === 'checklist_item_update').map((e) => e.data as any);
      expect(updates.length).toBeGreaterThan(0);
      // Items are assessed in order, and every tool call has its result after it.
      const updated = updates.map((u) => u.item_index);
      expect(updated).toEqual([...updated].sort((a, b) => a - b));
      const calls = events.filter((e) => e.event === 'tool_call');
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        const at = events.indexOf(call);
        expect(
          events
            .slice(at + 1)
            .some(
              (e) => e.event === 'tool_result' && (e.data as any).tool_name === (call.data as any).tool_name,
            ),
        ).toBe(true);
      }
      // The documents passed on their artifacts.
      for (const item of documents.filter((i) => i.required))
        expect(updates.find((u) => u.item_index === item.index)).toMatchObject({
          outcome: 'passed',
          status: 'complete',
        });
    } finally {
      stream.close();
    }
    const workspace = await p.viewer.call('GET', `/api/v1/workspaces/${id}`);
    expect(workspace.status).toBe(200);
    expect(workspace.body.assessment).toMatchObject({ status: 'completed' });
    expect(workspace.body.artifacts.length).toBe(documents.length);

    // WHEN it is submitted with required items still open (the attestation needs a person): 409 naming
    // them, and nothing changed.
    const before = (await p.operator.call('GET', `/api/v1/checklists/${id}`)).body;
    const open = (before.items as any[]).filter(
      (i) => i.required && !['complete', 'exception'].includes(i.status),
    );
    expect(open.length).toBeGreaterThan(0);
    const refused = await p.operator.call('POST', `/api/v1/checklists/${id}/submit`, {});
    expectError(refused, 409, 'checklist_incomplete');
    for (const i of open) expect(refused.body.detail).toContain(`#${i.index} ${i.label} (${i.status})`);
    expect((await p.operator.call('GET', `/api/v1/checklists/${id}`)).body).toEqual(before);
    const approvalsBefore = await p.rita.call('GET', '/api/v1/approvals?page_size=100');

    // THEN, the remaining items completed, the submission creates a pending approval.
    await completeRequired(p.base, p.operator, id);
    const submitted = await p.operator.call('POST', `/api/v1/checklists/${id}/submit`, {});
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: 'in_review',
      approval_id: expect.stringMatching(/^apr-/),
    });
    const approvalId = submitted.body.approval_id as string;
    expect((await p.rita.call('GET', '/api/v1/approvals?page_size=100')).body.total).toBe(
      approvalsBefore.body.total + 1,
    );
    const approval = await p.rita.call('GET', `/api/v1/approvals/${approvalId}`);
    expect(approval.body).toMatchObject({
      status: 'pending',
      checkpoint_type: 'pre_filing',
      agent_type: 'rule_32',
    });

    // AND the in-review checklist shows in the dashboard's matrix.
    const matrix = await p.viewer.call('GET', `/api/v1/compliance/matrix?page_size=100`);
    expect(matrix.status).toBe(200);
    const row = (matrix.body.data as any[]).find((r) => r.entity_id === well);
    expect(row.cells.rule_32.status).toBe('in_review');

    // WHEN a reviewer approves: the package is produced (polled, 30 s at most).
    const decided = await p.rita.call('POST', `/api/v1/approvals/${approvalId}/decide`, {
      decision: 'approved',
      notes: 'Volumes within the authorisation.',
    });
    expect(decided.status).toBe(200);
    const listed = await waitForFiling(p.operator, id);
    expect(listed).toMatchObject({
      checklist_id: id,
      approval_id: approvalId,
      form_type: 'R-32',
      status: 'draft',
    });
    expect((await p.operator.call('GET', `/api/v1/checklists/${id}`)).body.status).toBe('approved');
    const filing = (await p.operator.call('GET', `/api/v1/compliance/filings/${listed.filing_id}`)).body;
    made.filing = filing;
    expect(filing.source.facts.flaring.requested_volume_mcf_per_day).toBe(mcfPerDay);

    // THEN its document is a PDF showing the well's API number and the volumes.
    const pdf = await download(p.base, p.viewer, `/compliance/filings/${filing.filing_id}/document`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf.bytes);
    expect(digitsOnly(text)).toContain(well);
    expect(text).toContain(formatApiNumber(well));
    const flaring = filing.source.facts.flaring;
    expect(mentionsFigure(text, mcfPerDay)).toBe(true);
    expect(mentionsFigure(text, flaring.cumulative_volume_mcf)).toBe(true);
    expect(text).toContain(made.artifact.sha256);

    // AND the approval's audit trail records the package and verifies.
    const audit = await p.viewer.call('GET', `/api/v1/approvals/${approvalId}/audit`);
    expect(audit.status).toBe(200);
    expect(audit.body.verified).toBe(true);
    expect(JSON.stringify(audit.body.entries)).toContain(filing.filing_id);

    // A draft is not submitted before review: 409, and the package is unchanged.
    expectError(
      await p.rita.call('POST', `/api/v1/compliance/filings/${filing.filing_id}/transition`, {
        to: 'submitted',
      }),
      409,
      'illegal_transition',
    );
    expectError(
      await p.rita.call('POST', `/api/v1/compliance/filings/${filing.filing_id}/transition`, { to: 'sent' }),
      422,
      'validation_error',
      ['body', 'to'],
    );
    expect((await p.operator.call('GET', `/api/v1/compliance/filings/${filing.filing_id}`)).body).toEqual(
      filing,
    );
  }, 180_000);

  it('shows another tenant none of the checklists, artifacts, workspaces or filings', async () => {
    const { checklistId: id, artifact, filing } = made;
    if (!id || !artifact || !filing) throw new Error('the filing flow did not run');
    const list = async (path: string) => {
      const r = await p.acme.call('GET', path);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(0);
    };
    await list('/api/v1/checklists');
    await list(`/api/v1/compliance/filings?checklist_id=${id}`);
    await list('/api/v1/compliance/filings');
    for (const path of [
      `/api/v1/checklists/${id}`,
      `/api/v1/checklists/${id}/artifacts`,
      `/api/v1${artifact.content_url}`,
      `/api/v1/workspaces/${id}`,
      `/api/v1/compliance/filings/${filing.filing_id}`,
      `/api/v1/compliance/filings/${filing.filing_id}/document`,
    ])
      expectError(await p.acme.call('GET', path), 404, 'not_found');
    // Nor can it act on them.
    expectError(await p.acme.call('POST', `/api/v1/workspaces/${id}/assess`), 404, 'not_found');
    expectError(
      await p.acme.call('PATCH', `/api/v1/checklists/${id}/items/0`, { status: 'in_progress' }),
      404,
      'not_found',
    );
  });
}
