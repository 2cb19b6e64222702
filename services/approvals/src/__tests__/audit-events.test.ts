import { describeOnBothStores } from '@aegis/testing';
import { createApprovalsClient } from '../client';
import {
  admin,
  agent,
  countRows,
  newApproval,
  operator,
  reviewer,
  startHarness,
  viewer,
  type Harness,
} from './harness';

const event = (over: Record<string, unknown> = {}) => ({
  event: 'filing_status_changed',
  data: { filing_id: 'fil-1', form_type: 'W-1', from: 'draft', to: 'in_review', ...over },
});

describeOnBothStores('POST /approvals/{id}/audit', 'approvals-events.db', (url) => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness(url());
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A fresh tenant with one approval, decided as told (pending when undefined). */
  async function approval(decision?: 'approved' | 'rejected'): Promise<{ tenant: string; id: string }> {
    const tenant = `events-${++n}`;
    const created = await h.request({ ...agent, tenant }, 'POST', '/approvals', newApproval());
    const id = created.body.approval_id as string;
    if (decision)
      expect(
        (await h.request(reviewer('rita', tenant), 'POST', `/approvals/${id}/decide`, { decision })).status,
      ).toBe(200);
    return { tenant, id };
  }

  it('appends a filing status change to the granted approval’s chain, and the trail still verifies', async () => {
    const { tenant, id } = await approval('approved');
    const res = await h.request({ ...agent, tenant }, 'POST', `/approvals/${id}/audit`, event());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      seq: 3,
      approval_id: id,
      action: 'filing_status_changed',
      actor_id: 'service:orchestration',
      data: { filing_id: 'fil-1', from: 'draft', to: 'in_review' },
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const second = await h.request(
      { ...operator, tenant },
      'POST',
      `/approvals/${id}/audit`,
      event({ from: 'in_review', to: 'approved', changed_by: 'olga' }),
    );
    expect(second.status).toBe(201);
    const audit = await h.request({ ...viewer, tenant }, 'GET', `/approvals/${id}/audit`);
    expect(audit.body.verified).toBe(true);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'approved',
      'filing_status_changed',
      'filing_status_changed',
    ]);
    expect(audit.body.entries[3].prev_mac).toBe(audit.body.entries[2].mac);
  });

  it('is in the typed client: appendAudit then audit', async () => {
    const { tenant, id } = await approval('approved');
    const token = async () => (await h.headers(agent)).authorization.slice('Bearer '.length);
    const client = createApprovalsClient({ baseUrl: h.base, token });
    const entry = await client.appendAudit(tenant, id, {
      event: 'filing_status_changed',
      data: { filing_id: 'fil-2', from: null, to: 'draft' },
    });
    expect(entry).toMatchObject({ approval_id: id, action: 'filing_status_changed', data: { from: null } });
    const trail = await client.audit(tenant, id);
    expect(trail.verified).toBe(true);
    expect(trail.entries.at(-1)?.mac).toBe(entry.mac);
  });

  it('answers 409 approval_not_granted for a pending or rejected approval, and writes nothing', async () => {
    for (const decision of [undefined, 'rejected'] as const) {
      const { tenant, id } = await approval(decision);
      const before = await countRows(h.store, 'audit_entries', tenant);
      const res = await h.request({ ...agent, tenant }, 'POST', `/approvals/${id}/audit`, event());
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'approval_not_granted', request_id: expect.any(String) });
      expect(res.body.detail).toContain(id);
      expect(await countRows(h.store, 'audit_entries', tenant)).toBe(before);
    }
  });

  it('answers 422 naming the field for an unknown event or a bad status, and writes nothing', async () => {
    const { tenant, id } = await approval('approved');
    const before = await countRows(h.store, 'audit_entries', tenant);
    const unknown = await h.request({ ...agent, tenant }, 'POST', `/approvals/${id}/audit`, {
      event: 'approved',
      data: {},
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('validation_error');
    expect(unknown.body.detail[0].loc).toEqual(['body', 'event']);
    const bad = await h.request(
      { ...agent, tenant },
      'POST',
      `/approvals/${id}/audit`,
      event({ to: 'DROP TABLE' }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'data', 'to']);
    expect(await countRows(h.store, 'audit_entries', tenant)).toBe(before);
  });

  it('answers 404 for another tenant’s approval and 403 for a viewer or reviewer, writing nothing', async () => {
    const { tenant, id } = await approval('approved');
    const before = await countRows(h.store, 'audit_entries', tenant);
    const other = await h.request(
      { ...agent, tenant: 'someone-else' },
      'POST',
      `/approvals/${id}/audit`,
      event(),
    );
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('not_found');
    for (const caller of [viewer, reviewer('rita')]) {
      const res = await h.request({ ...caller, tenant }, 'POST', `/approvals/${id}/audit`, event());
      expect(res.status).toBe(403);
    }
    expect((await h.request({ ...admin, tenant }, 'POST', `/approvals/${id}/audit`, event())).status).toBe(
      201,
    );
    expect(await countRows(h.store, 'audit_entries', tenant)).toBe(before + 1);
  });
});
