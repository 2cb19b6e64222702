/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { defaultRouteTable } from '@aegis/common';
import { buildDemoGraph, PRODUCTION_ANOMALIES, UNAUTHORIZED_FLARING } from '@aegis/demo';
import type { Domain } from '../domain/types';
import { startHarness, type Harness } from './harness';

const AS_OF = '2026-06-20';
const viewer = { roles: ['viewer' as const] };

/** Whole days from AS_OF to `date` (hand arithmetic, not the code under test). */
const daysTo = (date: string) =>
  (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${AS_OF}T00:00:00Z`)) / 86_400_000;
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Hand count over the demo scenario's own data: every open ComplianceDeadline (status neither
 * completed, filed nor cancelled) and every flaring authorisation's expiry (unless pending, denied or
 * withdrawn); the W-1 permits carry no expiry. Counted on `day`: overdue (< 0 days), 0–7, 8–30.
 */
function handCount(day: string) {
  const graph = buildDemoGraph(AS_OF);
  const due: string[] = [];
  for (const e of graph.entities) {
    const p = e.properties as Record<string, any>;
    if (e.label === 'ComplianceDeadline' && !['completed', 'filed', 'cancelled'].includes(p.status))
      due.push(p.due_date);
    if (e.label === 'FlaringAuthorization' && !['pending', 'denied', 'withdrawn'].includes(p.status))
      due.push(p.expiry_date);
    if (e.label === 'Permit' && (p.expiration_date || p.expiry_date))
      due.push(p.expiration_date ?? p.expiry_date);
  }
  const offset = daysTo(day);
  const days = due.map((d) => daysTo(d) - offset);
  return {
    overdue: days.filter((d) => d < 0).length,
    due_7d: days.filter((d) => d >= 0 && d <= 7).length,
    due_30d: days.filter((d) => d >= 8 && d <= 30).length,
  };
}

const card = (body: any, key: string) => body.cards.find((c: any) => c.key === key);
const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

describe('the compliance dashboard on the demo scenario (knowledge graph and compliance monitor in process)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(AS_OF);
  }, 60_000);
  afterAll(async () => h?.close());

  describe('GET /compliance/summary', () => {
    it('counts the deadline cards as hand-counted from the demo data, now and one period before', async () => {
      const { status, body } = await h.request(viewer, 'GET', `/compliance/summary?as_of=${AS_OF}`);
      expect(status).toBe(200);
      const now = handCount(AS_OF);
      const before = handCount(shift(AS_OF, -30));
      // The scenario's promise: deadlines overdue, within 7 and within 30 days.
      expect(now.overdue).toBeGreaterThan(0);
      expect(now.due_7d).toBeGreaterThan(0);
      expect(now.due_30d).toBeGreaterThan(0);
      for (const key of ['overdue', 'due_7d', 'due_30d'] as const) {
        expect(card(body, key).count).toBe(now[key]);
        expect(card(body, key).previous).toBe(before[key]);
        expect(card(body, key).delta).toBe(now[key] - before[key]);
        expect(card(body, key).subtext).toContain(shift(AS_OF, -30));
      }
      expect(body.period).toEqual({ from: shift(AS_OF, -29), to: AS_OF });
      expect(body.previous_period).toEqual({ from: shift(AS_OF, -59), to: shift(AS_OF, -30) });
    });

    it('agrees with the compliance monitor’s own critical and warning counts', async () => {
      const { body } = await h.request(viewer, 'GET', `/compliance/summary?as_of=${AS_OF}`);
      const monitor = await h.monitor(viewer, '/compliance/deadlines', { as_of: AS_OF, window_days: 30 });
      expect(monitor.status).toBe(200);
      expect(card(body, 'overdue').count + card(body, 'due_7d').count).toBe(monitor.body.counts.critical);
      expect(card(body, 'due_30d').count).toBe(monitor.body.counts.warning);
    });

    it('counts as anomalies the monitor’s production alerts of the months ending in each period', async () => {
      const { body } = await h.request(viewer, 'GET', `/compliance/summary?as_of=${AS_OF}`);
      const monitor = await h.monitor(viewer, '/compliance/production', { as_of: AS_OF, months: 6 });
      const inPeriod = (from: string, to: string) =>
        monitor.body.alerts.filter(
          (a: any) => monthEnd(a.data.period) >= from && monthEnd(a.data.period) <= to,
        );
      const current = inPeriod(shift(AS_OF, -29), AS_OF);
      expect(card(body, 'anomalies').count).toBe(current.length);
      expect(card(body, 'anomalies').previous).toBe(inPeriod(shift(AS_OF, -59), shift(AS_OF, -30)).length);
      // The demo's anomalies are in its last complete month (May 2026, ending in this period).
      const graph = buildDemoGraph(AS_OF);
      const wellAt = ([lease, i]: readonly [number, number]) =>
        graph.wells.find((w) => w.lease === lease && w.i === i)!.id;
      const found = new Set(current.map((a: any) => `${a.code}:${a.data.well_id}`));
      expect(found).toContain(`allowable_exceeded:${wellAt(PRODUCTION_ANOMALIES.allowableExceeded)}`);
      expect(found).toContain(`gor_anomaly:${wellAt(PRODUCTION_ANOMALIES.gorAnomaly)}`);
      expect(found).toContain(`zero_production:${wellAt(PRODUCTION_ANOMALIES.zeroProduction)}`);
    });

    it('answers 422 in the error shape for a period out of range', async () => {
      const { status, body } = await h.request(viewer, 'GET', '/compliance/summary?period_days=0');
      expect(status).toBe(422);
      expect(body.code).toBe('validation_error');
      expect(typeof body.request_id).toBe('string');
      expect(body.detail[0].loc).toEqual(['query', 'period_days']);
    });
  });

  describe('GET /compliance/matrix', () => {
    const graph = buildDemoGraph(AS_OF);
    const wellAt = (lease: number, i: number) => graph.wells.find((w) => w.lease === lease && w.i === i)!.id;

    async function allRows(extra = ''): Promise<any[]> {
      const { status, body } = await h.request(
        viewer,
        'GET',
        `/compliance/matrix?as_of=${AS_OF}&page_size=100${extra}`,
      );
      expect(status).toBe(200);
      return body.data;
    }

    it('has one row per demo well and a cell per domain, in the list envelope', async () => {
      const { body } = await h.request(
        viewer,
        'GET',
        `/compliance/matrix?as_of=${AS_OF}&page=2&page_size=10`,
      );
      expect(body.total).toBe(graph.wells.length);
      expect(body.page).toBe(2);
      expect(body.page_size).toBe(10);
      expect(body.data).toHaveLength(10);
      expect(Object.keys(body.data[0].cells).sort()).toEqual(['flaring', 'form_pr', 'rule_32', 'rule_37']);
    });

    it('marks Rule 32 overdue exactly on the wells of an authorisation expired or whose renewal is past due', async () => {
      // By hand: an authorisation (not pending) expired before AS_OF, or its open renewal deadline
      // (DL-R32-RENEW-…, APPLIES_TO the authorisation) due before AS_OF.
      const renewal = new Map(
        graph.entities
          .filter((e) => e.label === 'ComplianceDeadline' && String(e.entity_id).startsWith('DL-R32-RENEW-'))
          .map((e) => [
            String(e.entity_id).slice('DL-R32-RENEW-'.length),
            (e.properties as any).due_date as string,
          ]),
      );
      const expected = new Set<string>();
      for (const a of graph.authorizations) {
        const late = (a.status !== 'pending' && a.expiry < AS_OF) || renewal.get(a.id.slice(4))! < AS_OF;
        if (late) a.wells.forEach((w) => expected.add(w));
      }
      expect(expected.size).toBeGreaterThan(0);
      const rows = await allRows();
      const overdue = rows.filter((r) => r.cells.rule_32.status === 'overdue').map((r) => r.entity_id);
      expect(new Set(overdue)).toEqual(expected);
      const filtered = await allRows('&domain=rule_32&status=overdue');
      expect(filtered.map((r) => r.entity_id).sort()).toEqual([...expected].sort());
    });

    it('flags flaring on the wells flaring with no authorisation, and never calls Rule 37 overdue', async () => {
      const rows = await allRows();
      for (const [lease, i] of UNAUTHORIZED_FLARING) {
        const row = rows.find((r) => r.entity_id === wellAt(lease, i));
        expect(row.cells.flaring.status).toBe('action_needed');
      }
      // The demo's W-1 permits carry no deadline: Rule 37 applies to every well and nothing is due.
      expect(new Set(rows.map((r) => r.cells.rule_37.status))).toEqual(new Set(['compliant']));
    });

    it('shows a filing in review as in_review unless the domain is overdue', async () => {
      const reviewing = wellAt(0, 1);
      const late = wellAt(1, 2);
      h.inReview.current = {
        inReview: async (tenant) =>
          new Map<string, Domain[]>(
            tenant === 'default'
              ? [
                  [reviewing, ['rule_32']],
                  [late, ['rule_32']],
                ]
              : [],
          ),
      };
      try {
        const rows = await allRows();
        expect(rows.find((r) => r.entity_id === reviewing).cells.rule_32.status).toBe('in_review');
        expect(rows.find((r) => r.entity_id === late).cells.rule_32.status).toBe('overdue');
      } finally {
        h.inReview.current = { inReview: async () => new Map() };
      }
    });

    it('sorts by worst status first and answers 422 for an unknown sort_by', async () => {
      const rows = await allRows('&sort_by=worst');
      expect(rows[0].worst).toBe('overdue');
      const { status, body } = await h.request(viewer, 'GET', '/compliance/matrix?sort_by=risk');
      expect(status).toBe(422);
      expect(body.code).toBe('validation_error');
      expect(body.detail[0].loc).toEqual(['query', 'sort_by']);
      expect(typeof body.request_id).toBe('string');
    });

    it('scopes by operator and refuses an unknown operator with 422', async () => {
      const rows = await allRows('&operator_id=OP-654321');
      const expected = graph.wells.filter((w) => w.lease === 3 || w.lease === 4).map((w) => w.id);
      expect(rows.map((r) => r.entity_id).sort()).toEqual(expected.sort());
      const { status, body } = await h.request(viewer, 'GET', '/compliance/matrix?operator_id=OP-000000');
      expect(status).toBe(422);
      expect(body.detail[0].loc).toEqual(['query', 'operator_id']);
    });

    it('shows another tenant nothing of the demo tenant', async () => {
      const { status, body } = await h.request(
        { roles: ['viewer'], tenant: 'tenant-b' },
        'GET',
        '/compliance/matrix',
      );
      expect(status).toBe(200);
      expect(body.total).toBe(0);
      const summary = await h.request(
        { roles: ['viewer'], tenant: 'tenant-b' },
        'GET',
        '/compliance/summary',
      );
      expect(summary.body.cards.map((c: any) => c.count)).toEqual([0, 0, 0, 0]);
    });
  });

  describe('GET /compliance/deadlines', () => {
    it('lists the deadlines due within window_days, overdue ones included, as hand-counted', async () => {
      const { status, body } = await h.request(
        viewer,
        'GET',
        `/compliance/deadlines?as_of=${AS_OF}&window_days=30&page_size=100`,
      );
      expect(status).toBe(200);
      const n = handCount(AS_OF);
      expect(body.total).toBe(n.overdue + n.due_7d + n.due_30d);
      const dates = body.data.map((d: any) => d.due_date);
      expect(dates).toEqual([...dates].sort());
      const overdue = await h.request(viewer, 'GET', `/compliance/deadlines?as_of=${AS_OF}&bucket=overdue`);
      expect(overdue.body.total).toBe(n.overdue);
    });

    it.each([['window_days=366'], ['window_days=-1'], ['window_days=x'], ['sort_by=title']])(
      'answers 422 in the error shape for %s',
      async (q) => {
        const { status, body } = await h.request(viewer, 'GET', `/compliance/deadlines?${q}`);
        expect(status).toBe(422);
        expect(body.code).toBe('validation_error');
        expect(typeof body.request_id).toBe('string');
        expect(body.detail[0].loc).toEqual(['query', q.split('=')[0]]);
      },
    );
  });

  describe('GET /api/v1/compliance/deadlines through the default route table', () => {
    it('reaches the orchestration: the monitor’s compliance/deadlines row is POST only (it has no GET there)', async () => {
      // The longest prefix among the rows accepting the method wins (docs/adr/0028-method-aware-routes.md).
      const longestFor = (method: 'GET' | 'POST') =>
        defaultRouteTable()
          .routes.filter((r) => '/api/v1/compliance/deadlines'.startsWith(r.prefix))
          .filter((r) => !r.methods || r.methods.includes(method))
          .sort((a, b) => b.prefix.length - a.prefix.length)[0];
      expect(longestFor('GET')).toMatchObject({ prefix: '/api/v1/compliance', service: 'orchestration' });
      expect(longestFor('POST')).toMatchObject({
        prefix: '/api/v1/compliance/deadlines',
        service: 'compliance-monitor',
      });
      const { status } = await h.monitor(viewer, '/compliance/deadlines', undefined, 'GET');
      expect(status).toBe(405);
    });
  });

  describe('GET /compliance/trend', () => {
    it('gives per-period counts whose last period is the summary’s current one', async () => {
      const [trend, summary] = await Promise.all([
        h.request(viewer, 'GET', `/compliance/trend?as_of=${AS_OF}&periods=3&period_days=30`),
        h.request(viewer, 'GET', `/compliance/summary?as_of=${AS_OF}&period_days=30`),
      ]);
      expect(trend.status).toBe(200);
      expect(trend.body.periods).toHaveLength(3);
      const [p1, p2, p3] = trend.body.periods;
      expect(p3.to).toBe(AS_OF);
      expect(p2.to).toBe(shift(AS_OF, -30));
      expect(p1.to).toBe(shift(AS_OF, -60));
      for (const key of ['overdue', 'due_7d', 'due_30d', 'anomalies']) {
        expect(p3[key]).toBe(card(summary.body, key).count);
        expect(p2[key]).toBe(card(summary.body, key).previous);
      }
      const back = handCount(shift(AS_OF, -60));
      expect({ overdue: p1.overdue, due_7d: p1.due_7d, due_30d: p1.due_30d }).toEqual(back);
    });

    it('answers 422 for too many periods', async () => {
      const { status, body } = await h.request(viewer, 'GET', '/compliance/trend?periods=13');
      expect(status).toBe(422);
      expect(body.detail[0].loc).toEqual(['query', 'periods']);
    });
  });

  describe('GET /compliance/entities/{entity_id}', () => {
    it('gives one well’s cells and open deadlines (an API number with dashes works)', async () => {
      const graph = buildDemoGraph(AS_OF);
      const well = graph.wells.find((w) => w.lease === 1 && w.i === 2)!.id;
      const dashed = `${well.slice(0, 2)}-${well.slice(2, 5)}-${well.slice(5, 10)}-${well.slice(10, 12)}`;
      const { status, body } = await h.request(
        viewer,
        'GET',
        `/compliance/entities/${dashed}?as_of=${AS_OF}`,
      );
      expect(status).toBe(200);
      expect(body.entity_id).toBe(well);
      expect(body.cells.rule_32.status).toBe('overdue');
      // By hand: its authorisation's expiry, that authorisation's renewal, its lease's Form PR.
      expect(body.deadlines.map((d: any) => d.deadline_id).sort()).toEqual(
        ['DL-PR-41987', 'DL-R32-RENEW-0041987-2', 'R32-0041987-2'].sort(),
      );
    });

    it('answers 404 in the error shape for a well the tenant does not have', async () => {
      const { status, body } = await h.request(viewer, 'GET', '/compliance/entities/42000000000000');
      expect(status).toBe(404);
      expect(body.code).toBe('entity_not_found');
      expect(typeof body.request_id).toBe('string');
    });
  });
});
