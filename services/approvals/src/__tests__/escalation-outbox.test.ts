import { createLogger } from '@aegis/common';
import { describeOnBothStores, openSseClient } from '@aegis/testing';
import { escalationSweep, startEscalationSweeper } from '../escalation/sweep';
import { admin, agent, newApproval, reviewer, startHarness, T0, viewer, type Harness } from './harness';

const HOUR = 3_600_000;
const silent = createLogger({ service: 'approvals-test', level: 'silent' });

describeOnBothStores('approval escalation and the decision outbox', 'approvals-esc.db', (url) => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness(url());
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.clock.now = T0;
  });
  const fresh = () => `esc-${++n}`;

  describe('POST /approvals/escalate', () => {
    it('escalates exactly at the timeout and not one millisecond before', async () => {
      const tenant = fresh();
      const created = await h.request(
        { ...agent, tenant },
        'POST',
        '/approvals',
        newApproval({ reviewer_strategy: 'named_individual', reviewer_id: 'nina' }),
      );
      const id = created.body.approval_id as string;
      const escalate = () =>
        h.request({ ...admin, tenant }, 'POST', '/approvals/escalate', { reassign_to: 'sam' });

      h.clock.now = T0 + 24 * HOUR - 1;
      expect((await escalate()).body).toMatchObject({ timeout_hours: 24, escalated: [] });

      h.clock.now = T0 + 24 * HOUR;
      const res = await escalate();
      expect(res.status).toBe(200);
      expect(res.body.escalated).toEqual([
        { approval_id: id, from_reviewer_id: 'nina', to_reviewer_id: 'sam', escalation_level: 1 },
      ]);
      // The timeout restarts: nothing more to do now.
      expect((await escalate()).body.escalated).toEqual([]);
      // The named reviewer is now the one reassigned to.
      expect(
        (
          await h.request(reviewer('nina', tenant), 'POST', `/approvals/${id}/decide`, {
            decision: 'approved',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await h.request(reviewer('sam', tenant), 'POST', `/approvals/${id}/decide`, {
            decision: 'approved',
          })
        ).status,
      ).toBe(200);
      const audit = await h.request({ ...viewer, tenant }, 'GET', `/approvals/${id}/audit`);
      expect(audit.body.verified).toBe(true);
      expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
        'created',
        'escalated',
        'approved',
      ]);
    });

    it('takes timeout_hours from the request, defaulting to 24', async () => {
      const tenant = fresh();
      await h.request({ ...agent, tenant }, 'POST', '/approvals', newApproval());
      h.clock.now = T0 + 2 * HOUR;
      const none = await h.request({ ...admin, tenant }, 'POST', '/approvals/escalate');
      expect(none.body).toMatchObject({ timeout_hours: 24, reassign_to: null, escalated: [] });
      const two = await h.request({ ...admin, tenant }, 'POST', '/approvals/escalate', { timeout_hours: 2 });
      expect(two.body.escalated).toHaveLength(1);
      expect(two.body.escalated[0].to_reviewer_id).toBeNull();
    });

    it('answers 422 naming timeout_hours, and 403 for reviewers', async () => {
      const tenant = fresh();
      const bad = await h.request({ ...admin, tenant }, 'POST', '/approvals/escalate', { timeout_hours: -1 });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'timeout_hours']);
      expect((await h.request(reviewer('r', tenant), 'POST', '/approvals/escalate', {})).status).toBe(403);
      expect((await h.request({ ...agent, tenant }, 'POST', '/approvals/escalate', {})).status).toBe(200);
    });
  });

  describe('the scheduled escalation sweep', () => {
    it('uses each tenant’s settings', async () => {
      const tenant = fresh();
      const put = await h.request({ ...admin, tenant }, 'PUT', '/approvals/settings', {
        escalation_timeout_hours: 2,
        escalation_reviewer_id: 'supervisor',
      });
      expect(put.body).toMatchObject({
        escalation_timeout_hours: 2,
        escalation_reviewer_id: 'supervisor',
        updated_by: 'ada',
      });
      const id = (await h.request({ ...agent, tenant }, 'POST', '/approvals', newApproval())).body
        .approval_id;
      h.clock.now = T0 + 2 * HOUR;
      await escalationSweep(h.ops, silent)(new AbortController().signal);
      const got = await h.request({ ...viewer, tenant }, 'GET', `/approvals/${id}`);
      expect(got.body).toMatchObject({ reviewer_id: 'supervisor', escalation_level: 1 });
    });

    it('runs on one replica at a time (the sweeper lease)', async () => {
      const one = startEscalationSweeper(h.ops, {
        intervalMs: 60_000,
        logger: silent,
        initialDelayMs: Infinity,
      });
      const two = startEscalationSweeper(h.ops, {
        intervalMs: 60_000,
        logger: silent,
        initialDelayMs: Infinity,
      });
      try {
        expect(await one.runOnce()).toBe(true);
        expect(await two.runOnce()).toBe(false);
      } finally {
        await one.stop();
        await two.stop();
      }
    });
  });

  describe('the decision outbox', () => {
    async function decided(tenant: string, count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = (await h.request({ ...agent, tenant }, 'POST', '/approvals', newApproval())).body
          .approval_id;
        await h.request(reviewer('rita', tenant), 'POST', `/approvals/${id}/decide`, {
          decision: 'approved',
        });
        ids.push(id);
      }
      return ids;
    }

    it('pages decisions by seq, one event per decided approval, for services and admins only', async () => {
      const tenant = fresh();
      const ids = await decided(tenant, 3);
      const first = await h.request({ ...agent, tenant }, 'GET', '/approvals/outbox?after=0&limit=2');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ next_after: 2, has_more: true });
      expect(
        first.body.data.map((e: { seq: number; approval_id: string }) => [e.seq, e.approval_id]),
      ).toEqual([
        [1, ids[0]],
        [2, ids[1]],
      ]);
      expect(first.body.data[0]).toMatchObject({
        event_type: 'approval_decided',
        data: {
          status: 'approved',
          decided_by: 'rita',
          conversation_id: 'conv-1',
          effective_action: { tool_name: 'submit_filing' },
        },
      });
      const rest = await h.request({ ...admin, tenant }, 'GET', '/approvals/outbox?after=2');
      expect(rest.body).toMatchObject({ next_after: 3, has_more: false });
      // Reading again delivers the same events (at-least-once; consumers dedupe by approval_id).
      expect(
        (await h.request({ ...agent, tenant }, 'GET', '/approvals/outbox?after=0')).body.data,
      ).toHaveLength(3);
      expect((await h.request({ ...viewer, tenant }, 'GET', '/approvals/outbox')).status).toBe(403);
      expect((await h.request(reviewer('rita', tenant), 'GET', '/approvals/outbox')).status).toBe(403);
    });

    it('streams decisions with id: seq, resuming after Last-Event-ID', async () => {
      const tenant = fresh();
      const ids = await decided(tenant, 2);
      const headers = await h.headers({ ...agent, tenant });
      const resumed = await openSseClient(`${h.base}/approvals/outbox/stream`, {
        ...headers,
        'last-event-id': '1',
      });
      try {
        expect(resumed.status).toBe(200);
        const replayed = await resumed.waitFor((e) => e.id === '2', 5000);
        expect(replayed).toMatchObject({
          event: 'approval_decided',
          data: { approval_id: ids[1], event_type: 'approval_decided', seq: 2 },
        });
        const [third] = await decided(tenant, 1);
        const live = await resumed.waitFor((e) => e.id === '3', 5000);
        expect(live.data).toMatchObject({ approval_id: third });
        expect(resumed.events.map((e) => e.id)).toEqual(['2', '3']);
      } finally {
        resumed.close();
      }
      const fromNow = await openSseClient(`${h.base}/approvals/outbox/stream`, headers);
      try {
        const [fourth] = await decided(tenant, 1);
        expect((await fromNow.waitFor((e) => e.id === '4', 5000)).data).toMatchObject({
          approval_id: fourth,
        });
        expect(fromNow.events.map((e) => e.id)).toEqual(['4']);
      } finally {
        fromNow.close();
      }
    });

    it('publishes nothing for a first four-eyes approval or an escalation', async () => {
      const tenant = fresh();
      const id = (
        await h.request(
          { ...agent, tenant },
          'POST',
          '/approvals',
          newApproval({ reviewer_strategy: 'four_eyes' }),
        )
      ).body.approval_id;
      await h.request(reviewer('rita', tenant), 'POST', `/approvals/${id}/decide`, { decision: 'approved' });
      h.clock.now = T0 + 48 * HOUR;
      await h.request({ ...admin, tenant }, 'POST', '/approvals/escalate', {});
      expect((await h.request({ ...agent, tenant }, 'GET', '/approvals/outbox')).body.data).toEqual([]);
    });
  });
});
