import { describeOnBothStores } from '@aegis/testing';
import {
  admin,
  agent,
  countRows,
  newApproval,
  operator,
  reviewer,
  startHarness,
  viewer,
  type Caller,
  type Harness,
} from './harness';

describeOnBothStores('approvals API', 'approvals.db', (url) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(url());
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = async (over: Record<string, unknown> = {}, caller: Caller = agent) => {
    const res = await h.request(caller, 'POST', '/approvals', newApproval(over));
    expect(res.status).toBe(201);
    return res.body.approval_id as string;
  };
  const decide = (caller: Caller, id: string, body: Record<string, unknown>) =>
    h.request(caller, 'POST', `/approvals/${id}/decide`, body);

  describe('POST /approvals', () => {
    it('creates a pending approval whose snapshot is frozen with its digest', async () => {
      const res = await h.request(agent, 'POST', '/approvals', newApproval({ on_behalf_of: 'ursula' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'pending',
        requested_by: 'service:orchestration',
        on_behalf_of: 'ursula',
        tenant_id: 'tenant-a',
        votes: [],
        decision: null,
      });
      expect(res.body.approval_id).toMatch(/^apr-[0-9a-f]{24}$/);
      const got = await h.request(viewer, 'GET', `/approvals/${res.body.approval_id}`);
      expect(got.status).toBe(200);
      expect(got.body.snapshot).toMatchObject({
        proposed_action: { tool_name: 'submit_filing' },
        context: { nearest_lease_line_ft: 330 },
        requested_by: 'service:orchestration',
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it.each([
      [
        'a missing summary',
        { payload: { filing_type: 'W-1', entity_id: 'x' } },
        ['body', 'payload', 'summary'],
      ],
      ['an unknown checkpoint', { checkpoint_type: 'lunch' }, ['body', 'checkpoint_type']],
      [
        'a checkpoint the agent lacks',
        { agent_type: 'rule_32', checkpoint_type: 'good_cause_review' },
        ['body', 'checkpoint_type'],
      ],
      [
        'a filing checkpoint without filing_type',
        { payload: { entity_id: 'x', summary: 's' } },
        ['body', 'payload', 'filing_type'],
      ],
      [
        'named_individual without reviewer_id',
        { reviewer_strategy: 'named_individual' },
        ['body', 'reviewer_id'],
      ],
      [
        'a proposed action without arguments',
        { proposed_action: { tool_name: 'submit_filing' } },
        ['body', 'proposed_action', 'arguments'],
      ],
      ['an unknown field', { reviewer: 'x' }, ['body']],
    ])('answers 422 naming the field for %s, and stores nothing', async (_name, over, loc) => {
      const before = [await countRows(h.store, 'approvals'), await countRows(h.store, 'audit_entries')];
      const res = await h.request(agent, 'POST', '/approvals', newApproval(over));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
      expect(res.body.detail.map((d: { loc: unknown[] }) => d.loc)).toContainEqual(
        expect.arrayContaining(loc),
      );
      expect([await countRows(h.store, 'approvals'), await countRows(h.store, 'audit_entries')]).toEqual(
        before,
      );
    });

    it('refuses a viewer and a reviewer (403): operators and services create', async () => {
      expect((await h.request(viewer, 'POST', '/approvals', newApproval())).status).toBe(403);
      expect((await h.request(reviewer('rita'), 'POST', '/approvals', newApproval())).status).toBe(403);
      expect((await h.request(operator, 'POST', '/approvals', newApproval())).status).toBe(201);
    });
  });

  describe('GET /approvals', () => {
    it('lists with the envelope and filters by status, agent_type, reviewer_id and checkpoint_type', async () => {
      const tenant = 'tenant-list';
      const as = { ...agent, tenant };
      await create({ reviewer_strategy: 'named_individual', reviewer_id: 'nina' }, as);
      await create(
        {
          agent_type: 'rule_32',
          checkpoint_type: 'emissions_review',
          payload: { filing_type: 'R-32', entity_id: 'w', summary: 's' },
        },
        as,
      );
      const decided = await create({}, as);
      expect((await decide(reviewer('rex', tenant), decided, { decision: 'rejected' })).status).toBe(200);
      const list = (q: string) => h.request({ ...viewer, tenant }, 'GET', `/approvals${q}`);
      const all = await list('');
      expect(all.body).toMatchObject({ total: 3, page: 1, page_size: 20 });
      expect((await list('?status=pending')).body.total).toBe(2);
      expect((await list('?agent_type=rule_32')).body.data[0].checkpoint_type).toBe('emissions_review');
      expect((await list('?reviewer_id=nina')).body.total).toBe(1);
      expect((await list('?checkpoint_type=pre_filing&status=rejected')).body.total).toBe(1);
      expect((await list('?limit=1&offset=1')).body).toMatchObject({
        limit: 1,
        offset: 1,
        data: [expect.any(Object)],
      });
      const bad = await list('?status=lost');
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['query', 'status']);
    });
  });

  describe('POST /approvals/{id}/decide', () => {
    it('decides as the caller, then answers 409 for a second decision, storing nothing more', async () => {
      const id = await create();
      const res = await decide(reviewer('rita'), id, {
        decision: 'approved',
        notes: 'ok',
        reviewer_id: undefined,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'approved',
        decision: { decision: 'approved', decided_by: 'rita', notes: 'ok' },
        effective_action: { tool_name: 'submit_filing' },
      });
      const votes = await countRows(h.store, 'approval_votes');
      const again = await decide(reviewer('ron'), id, { decision: 'rejected' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'already_decided', request_id: expect.any(String) });
      expect(await countRows(h.store, 'approval_votes')).toBe(votes);
    });

    it('never takes the reviewer from the body', async () => {
      const id = await create();
      const res = await decide(reviewer('rita'), id, { decision: 'approved', reviewer_id: 'mallory' });
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(['body']);
    });

    it('refuses operators, viewers and service tokens (403): reviewers and admins decide', async () => {
      const id = await create();
      for (const caller of [operator, viewer, agent]) {
        const res = await decide(caller, id, { decision: 'approved' });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('insufficient_role');
      }
      expect((await decide(admin, id, { decision: 'approved' })).body.decision.decided_by).toBe('ada');
    });

    it('applies a modification validated against the proposed action', async () => {
      const id = await create();
      const bad = await decide(reviewer('rita'), id, {
        decision: 'modified',
        modifications: { arguments: { spacing_ft: 'far', bogus: 1 } },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual([
        'body.modifications.arguments.spacing_ft',
        'body.modifications.arguments.bogus',
      ]);
      expect((await h.request(viewer, 'GET', `/approvals/${id}`)).body).toMatchObject({
        status: 'pending',
        votes: [],
      });
      const missing = await decide(reviewer('rita'), id, { decision: 'modified' });
      expect(missing.status).toBe(422);
      expect(missing.body.detail[0].loc).toEqual(['body', 'modifications']);
      const ok = await decide(reviewer('rita'), id, {
        decision: 'modified',
        notes: 'Use the exception distance',
        modifications: { arguments: { spacing_ft: 330 } },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('modified');
      expect(ok.body.effective_action.arguments).toMatchObject({ spacing_ft: 330, form: 'W-1' });
      const got = await h.request(viewer, 'GET', `/approvals/${id}`);
      expect(got.body.snapshot.proposed_action.arguments.spacing_ft).toBe(467);
    });

    it('named_individual: only the named reviewer decides', async () => {
      const id = await create({ reviewer_strategy: 'named_individual', reviewer_id: 'nina' });
      const other = await decide(reviewer('rita'), id, { decision: 'approved' });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('not_assigned_reviewer');
      expect((await decide(reviewer('nina'), id, { decision: 'approved' })).status).toBe(200);
    });

    it('four_eyes: two different reviewers, never the requester; the first approval stays pending', async () => {
      const id = await create({ reviewer_strategy: 'four_eyes', on_behalf_of: 'ursula' });
      for (const self of [reviewer('service:orchestration'), reviewer('ursula')]) {
        const res = await decide(self, id, { decision: 'approved' });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('self_approval');
      }
      const first = await decide(reviewer('rita'), id, { decision: 'approved' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        status: 'pending',
        decision: null,
        votes: [{ reviewer_id: 'rita' }],
      });
      const twice = await decide(reviewer('rita'), id, { decision: 'approved' });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('already_voted');
      const second = await decide(reviewer('ron'), id, { decision: 'approved' });
      expect(second.body).toMatchObject({ status: 'approved', decision: { decided_by: 'ron' } });
      expect(second.body.votes.map((v: { reviewer_id: string }) => v.reviewer_id).sort()).toEqual([
        'rita',
        'ron',
      ]);
    });

    it('the requester may not approve their own four-eyes approval even as an admin', async () => {
      const id = await create({ reviewer_strategy: 'four_eyes' }, admin);
      expect((await decide(admin, id, { decision: 'approved' })).body.code).toBe('self_approval');
    });

    it('of concurrent deciders exactly one wins; the others answer 409', async () => {
      const id = await create();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          decide(reviewer(`r${i}`), id, { decision: i % 2 ? 'approved' : 'rejected' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      const winner = results.find((r) => r.status === 200)!.body;
      const got = await h.request(viewer, 'GET', `/approvals/${id}`);
      expect(got.body.decision.decided_by).toBe(winner.decision.decided_by);
      expect(got.body.votes).toHaveLength(1);
      const outbox = await h.request(agent, 'GET', '/approvals/outbox?after=0&limit=500');
      expect(outbox.body.data.filter((e: { approval_id: string }) => e.approval_id === id)).toHaveLength(1);
      expect((await h.request(viewer, 'GET', `/approvals/${id}/audit`)).body.verified).toBe(true);
    });

    it('four_eyes with two concurrent approvers ends approved by both', async () => {
      const id = await create({ reviewer_strategy: 'four_eyes' });
      const results = await Promise.all(
        ['a1', 'a2'].map((u) => decide(reviewer(u), id, { decision: 'approved' })),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      const got = await h.request(viewer, 'GET', `/approvals/${id}`);
      expect(got.body.status).toBe('approved');
      expect(got.body.votes).toHaveLength(2);
    });

    it('answers 404 for an unknown id and for another tenant’s approval', async () => {
      const id = await create();
      expect((await decide(reviewer('rita', 'tenant-b'), id, { decision: 'approved' })).status).toBe(404);
      expect(
        (await decide(reviewer('rita'), 'apr-000000000000000000000000', { decision: 'approved' })).status,
      ).toBe(404);
      expect((await h.request(viewer, 'GET', `/approvals/${id}`)).body.status).toBe('pending');
    });
  });

  describe('tenant isolation', () => {
    it('shows a tenant nothing of another tenant: get, list, audit, outbox', async () => {
      const id = await create({}, { ...agent, tenant: 'iso-a' });
      await decide(reviewer('rita', 'iso-a'), id, { decision: 'approved' });
      const b = { ...viewer, tenant: 'iso-b' };
      expect((await h.request(b, 'GET', `/approvals/${id}`)).status).toBe(404);
      expect((await h.request(b, 'GET', `/approvals/${id}/audit`)).status).toBe(404);
      expect((await h.request(b, 'GET', '/approvals')).body.total).toBe(0);
      expect((await h.request({ ...agent, tenant: 'iso-b' }, 'GET', '/approvals/outbox')).body.data).toEqual(
        [],
      );
      const cross = await h.request(b, 'GET', `/approvals?tenant_id=iso-a`);
      expect(cross.status).toBe(403);
      expect(cross.body.code).toBe('cross_tenant');
    });
  });
});
