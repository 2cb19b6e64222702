import { startApprovalsPlatform, type ApprovalsPlatform } from './platform';

const newApproval = (over: Record<string, unknown> = {}) => ({
  conversation_id: 'conv-e2e',
  agent_type: 'rule_32',
  checkpoint_type: 'pre_filing',
  payload: { filing_type: 'R-32', entity_id: '42317300010000', summary: 'R-32 exception for Well A' },
  proposed_action: { tool_name: 'submit_filing', arguments: { form: 'R-32', max_mcf_per_day: 100 } },
  context: { flaring_last_30_days_mcf: 2400 },
  reviewer_strategy: 'any_reviewer',
  ...over,
});

/** The acceptance, through the gateway with the local admin token: create an approval, list
 * it as pending, decide it, a second decision → 409, and the audit trail verifies. */
describe('approvals through the gateway', () => {
  let p: ApprovalsPlatform;
  beforeAll(async () => {
    p = await startApprovalsPlatform();
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('creates, lists as pending, decides once (409 the second time) and verifies the audit trail', async () => {
    const created = await p.admin.call('POST', '/api/v1/approvals', newApproval());
    expect(created.status).toBe(201);
    const id = created.body.approval_id as string;
    expect(created.body).toMatchObject({ status: 'pending', tenant_id: 'default' });

    const pending = await p.admin.call('GET', '/api/v1/approvals?status=pending');
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ page: 1, page_size: 20 });
    expect(pending.body.data.map((a: { approval_id: string }) => a.approval_id)).toContain(id);

    const decided = await p.admin.call('POST', `/api/v1/approvals/${id}/decide`, {
      decision: 'approved',
      notes: 'ok',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.decision).toMatchObject({ decision: 'approved', notes: 'ok' });

    const again = await p.admin.call('POST', `/api/v1/approvals/${id}/decide`, { decision: 'rejected' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'already_decided', request_id: expect.any(String) });

    const audit = await p.admin.call('GET', `/api/v1/approvals/${id}/audit`);
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ verified: true, first_failure: null });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['created', 'approved']);
  });

  it('four-eyes through real accounts: the requester never approves, two reviewers do', async () => {
    const id = (
      await p.operator.call('POST', '/api/v1/approvals', newApproval({ reviewer_strategy: 'four_eyes' }))
    ).body.approval_id as string;
    expect(
      (await p.operator.call('POST', `/api/v1/approvals/${id}/decide`, { decision: 'approved' })).status,
    ).toBe(403);
    expect(
      (await p.rita.call('POST', `/api/v1/approvals/${id}/decide`, { decision: 'approved' })).body.status,
    ).toBe('pending');
    const final = await p.ron.call('POST', `/api/v1/approvals/${id}/decide`, { decision: 'approved' });
    expect(final.body).toMatchObject({ status: 'approved' });
  });

  it('answers 422 naming the field and stores nothing', async () => {
    const before = (await p.admin.call('GET', '/api/v1/approvals')).body.total;
    const bad = await p.admin.call(
      'POST',
      '/api/v1/approvals',
      newApproval({ checkpoint_type: 'good_cause_review' }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'checkpoint_type']);
    expect((await p.admin.call('GET', '/api/v1/approvals')).body.total).toBe(before);
  });

  it('keeps tenants apart', async () => {
    const id = (await p.admin.call('POST', '/api/v1/approvals', newApproval())).body.approval_id as string;
    expect((await p.acme.call('GET', `/api/v1/approvals/${id}`)).status).toBe(404);
    expect((await p.acme.call('GET', '/api/v1/approvals')).body.total).toBe(0);
  });

  it('publishes the decision to the outbox the orchestration reads', async () => {
    const outbox = await p.admin.call('GET', '/api/v1/approvals/outbox?after=0');
    expect(outbox.status).toBe(200);
    expect(outbox.body.data.length).toBeGreaterThanOrEqual(2);
    expect(outbox.body.data[0]).toMatchObject({ seq: 1, event_type: 'approval_decided' });
  });
});
