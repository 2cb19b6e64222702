/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { describeOnBothStores } from '@aegis/testing';
import { RULE_32, RULE_37 } from '../bundled';
import type { VersionStatus } from '../lifecycle';
import {
  admin,
  newRule37,
  operator,
  snapshotRows,
  startRulesHarness,
  viewer,
  type Caller,
  type RulesHarness,
} from './harness';

/** The same caller in tenant `tenant` (each test works in its own tenant). */
const inTenant = (caller: Caller, tenant: string): Caller => ({ ...caller, tenant });

/** A refusal in the one error shape of spec §5. */
function expectError(res: { status: number; body: any }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(
    expect.objectContaining({ code, request_id: expect.any(String), detail: expect.anything() }),
  );
}

describeOnBothStores('rules API', 'rules-api.db', (url) => {
  let h: RulesHarness;
  beforeAll(async () => {
    h = await startRulesHarness(url());
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('GET /rules', () => {
    it('lists the bundled rules of a new tenant as active version 1, in the list envelope', async () => {
      const res = await h.request(inTenant(viewer, 'list-t'), 'GET', '/rules');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 4, page: 1, page_size: 20 });
      expect(res.body.data.map((r: any) => [r.rule_key, r.citation, r.status, r.active_version])).toEqual([
        ['form_pr', '16 TAC §3.58', 'active', 1],
        ['nsps_oooob', '40 CFR Part 60 Subpart OOOOb', 'active', 1],
        ['rule_32', '16 TAC §3.32', 'active', 1],
        ['rule_37', '16 TAC §3.37', 'active', 1],
      ]);
    });

    it('filters by citation substring, status and kind, and sorts by a whitelisted column', async () => {
      const t = inTenant(viewer, 'list-t');
      const byCitation = await h.request(t, 'GET', '/rules?citation=3.37');
      expect(byCitation.body.data.map((r: any) => r.rule_key)).toEqual(['rule_37']);
      const drafts = await h.request(t, 'GET', '/rules?status=draft');
      expect(drafts.body).toMatchObject({ total: 0, data: [] });
      const epa = await h.request(t, 'GET', '/rules?kind=nsps_oooob&agency=EPA');
      expect(epa.body.data.map((r: any) => r.rule_key)).toEqual(['nsps_oooob']);
      const sorted = await h.request(t, 'GET', '/rules?sort_by=title&sort_dir=desc&limit=2&offset=1');
      expect(sorted.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(sorted.body.data.map((r: any) => r.title)).toEqual([
        'Rule 37 — Statewide spacing',
        'Rule 32 — Gas flaring and venting',
      ]);
    });

    it.each([
      ['/rules?sort_by=description', ['query', 'sort_by']],
      ['/rules?status=superseded', ['query', 'status']],
      ['/rules?colour=red', ['query', 'colour']],
    ])('answers 422 for %s', async (path, loc) => {
      const res = await h.request(inTenant(viewer, 'list-t'), 'GET', path);
      expectError(res, 422, 'validation_error');
      expect(res.body.detail.map((d: any) => d.loc)).toContainEqual(loc);
    });
  });

  describe('GET /rules/{id}', () => {
    it('answers the rule with its active version and a summary of its versions', async () => {
      const res = await h.request(inTenant(viewer, 'read-t'), 'GET', '/rules/rul-rule-37');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        rule_id: 'rul-rule-37',
        kind: 'rule_37',
        source: 'bundled',
        graph_entity: { label: 'Regulation', id: 'REG-TAC-3.37' },
        current: { version: 1, status: 'active', parameters: RULE_37.parameters },
        versions: [{ version: 1, status: 'active' }],
      });
    });

    it('answers 404 for an unknown rule and 422 for a malformed id', async () => {
      expectError(await h.request(inTenant(viewer, 'read-t'), 'GET', '/rules/rul-nope'), 404, 'not_found');
      expectError(
        await h.request(inTenant(viewer, 'read-t'), 'GET', '/rules/RULE37'),
        422,
        'validation_error',
      );
    });
  });

  describe('POST /rules', () => {
    it('creates a draft rule with version 1 for an admin', async () => {
      const res = await h.request(inTenant(admin, 'create-t'), 'POST', '/rules', newRule37());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        rule_id: expect.stringMatching(/^rul-[0-9a-f]{24}$/),
        rule_key: 'rule_37_spraberry',
        source: 'tenant',
        status: 'draft',
        active_version: null,
        latest_version: 1,
        created_by: 'ada',
        current: null,
        versions: [{ version: 1, status: 'draft' }],
      });
    });

    it.each([
      ['a viewer', viewer, 403, 'insufficient_role'],
      ['an operator', operator, 403, 'insufficient_role'],
    ])('refuses %s with 403 and stores nothing', async (_who, caller, status, code) => {
      await h.request(inTenant(viewer, 'create-role-t'), 'GET', '/rules');
      const before = await snapshotRows(h.store, 'create-role-t');
      expectError(
        await h.request(inTenant(caller, 'create-role-t'), 'POST', '/rules', newRule37()),
        status,
        code,
      );
      expect(await snapshotRows(h.store, 'create-role-t')).toEqual(before);
    });

    it.each([
      [
        'parameters the kind refuses',
        newRule37({ parameters: { ...RULE_37.parameters, lease_line_min_ft: -5 } }),
        ['body', 'parameters', 'lease_line_min_ft'],
      ],
      ['an unknown kind', newRule37({ kind: 'rule_99' }), ['body', 'kind']],
      ['an unknown field', newRule37({ colour: 'red' }), ['body']],
      ['a malformed rule key', newRule37({ rule_key: 'Rule 37' }), ['body', 'rule_key']],
      ['no title', newRule37({ title: undefined }), ['body', 'title']],
      [
        'a graph entity of an unknown label',
        newRule37({ graph_entity: { label: 'Well', id: 'W-1' } }),
        ['body', 'graph_entity', 'label'],
      ],
    ])('answers 422 for %s and stores nothing', async (_what, body, loc) => {
      await h.request(inTenant(viewer, 'create-bad-t'), 'GET', '/rules');
      const before = await snapshotRows(h.store, 'create-bad-t');
      const res = await h.request(inTenant(admin, 'create-bad-t'), 'POST', '/rules', body);
      expectError(res, 422, 'validation_error');
      expect(res.body.detail.map((d: any) => d.loc)).toContainEqual(loc);
      expect(await snapshotRows(h.store, 'create-bad-t')).toEqual(before);
    });

    it('answers 409 for a rule key the tenant already has (a bundled one too) and stores nothing', async () => {
      const caller = inTenant(admin, 'create-dup-t');
      expect((await h.request(caller, 'POST', '/rules', newRule37())).status).toBe(201);
      const before = await snapshotRows(h.store, 'create-dup-t');
      expectError(await h.request(caller, 'POST', '/rules', newRule37()), 409, 'duplicate_rule_key');
      expectError(
        await h.request(caller, 'POST', '/rules', newRule37({ rule_key: 'rule_37' })),
        409,
        'duplicate_rule_key',
      );
      expect(await snapshotRows(h.store, 'create-dup-t')).toEqual(before);
    });
  });

  describe('POST /rules (graph entity)', () => {
    it('links a field rule set to its Field, or to nothing', async () => {
      const caller = inTenant(admin, 'create-graph-t');
      const linked = await h.request(
        caller,
        'POST',
        '/rules',
        newRule37({ graph_entity: { label: 'Field', id: 'FLD-SPRABERRY-TREND' } }),
      );
      expect(linked.status).toBe(201);
      expect(linked.body.graph_entity).toEqual({ label: 'Field', id: 'FLD-SPRABERRY-TREND' });
      const plain = await h.request(caller, 'POST', '/rules', newRule37({ rule_key: 'plain' }));
      expect(plain.body.graph_entity).toBeNull();
    });
  });

  describe('POST /rules/{id}/versions and GET /rules/{id}/versions', () => {
    it('adds the next version as a draft and lists versions newest first', async () => {
      const caller = inTenant(admin, 'version-t');
      const res = await h.request(caller, 'POST', '/rules/rul-rule-37/versions', {
        parameters: { ...RULE_37.parameters, between_well_min_ft: 1_320 },
        note: 'Spraberry field rule',
        effective_from: '2027-01-01',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        version: 2,
        status: 'draft',
        effective_from: '2027-01-01',
        created_by: 'ada',
      });
      const list = await h.request(inTenant(viewer, 'version-t'), 'GET', '/rules/rul-rule-37/versions');
      expect(list.body).toMatchObject({ total: 2 });
      expect(list.body.data.map((v: any) => [v.version, v.status])).toEqual([
        [2, 'draft'],
        [1, 'active'],
      ]);
      const drafts = await h.request(
        inTenant(viewer, 'version-t'),
        'GET',
        '/rules/rul-rule-37/versions?status=draft&sort_dir=asc',
      );
      expect(drafts.body.data.map((v: any) => v.version)).toEqual([2]);
    });

    it('answers 422 naming the parameter the rule’s kind refuses, and stores nothing', async () => {
      const caller = inTenant(admin, 'version-bad-t');
      await h.request(caller, 'GET', '/rules');
      const before = await snapshotRows(h.store, 'version-bad-t');
      const res = await h.request(caller, 'POST', '/rules/rul-rule-32/versions', {
        parameters: {
          max_exception_days: 180,
          volume_warning_pct: 120,
          volume_critical_pct: 100,
          days_used_warning: 150,
          gathering_line_connection_max_days: 60,
        },
      });
      expectError(res, 422, 'validation_error');
      expect(res.body.detail.map((d: any) => d.loc)).toContainEqual([
        'body',
        'parameters',
        'volume_warning_pct',
      ]);
      const missing = await h.request(caller, 'POST', '/rules/rul-rule-37/versions', {
        parameters: { lease_line_min_ft: 400 },
      });
      expectError(missing, 422, 'validation_error');
      expect(missing.body.detail.map((d: any) => d.loc)).toContainEqual([
        'body',
        'parameters',
        'between_well_min_ft',
      ]);
      expect(await snapshotRows(h.store, 'version-bad-t')).toEqual(before);
    });

    it('answers 404 for an unknown rule and 403 for a viewer, storing nothing', async () => {
      const before = await snapshotRows(h.store, 'version-bad-t');
      expectError(
        await h.request(inTenant(admin, 'version-bad-t'), 'POST', '/rules/rul-nope/versions', {
          parameters: {},
        }),
        404,
        'not_found',
      );
      expectError(
        await h.request(inTenant(viewer, 'version-bad-t'), 'POST', '/rules/rul-rule-37/versions', {
          parameters: RULE_37.parameters,
        }),
        403,
        'insufficient_role',
      );
      expectError(
        await h.request(inTenant(viewer, 'version-bad-t'), 'GET', '/rules/rul-nope/versions'),
        404,
        'not_found',
      );
      expect(await snapshotRows(h.store, 'version-bad-t')).toEqual(before);
    });
  });

  describe('POST /rules/{id}/transition', () => {
    /** A tenant rule whose version 1 is in `status`, via the API (an extra version 2 activates past it). */
    async function ruleIn(tenant: string, status: VersionStatus): Promise<string> {
      const caller = inTenant(admin, tenant);
      const created = await h.request(caller, 'POST', '/rules', newRule37({ rule_key: `r_${status}` }));
      const id = created.body.rule_id as string;
      if (status === 'draft') return id;
      expect(
        (await h.request(caller, 'POST', `/rules/${id}/transition`, { to: 'active', version: 1 })).status,
      ).toBe(200);
      if (status === 'retired')
        expect(
          (await h.request(caller, 'POST', `/rules/${id}/transition`, { to: 'retired', version: 1 })).status,
        ).toBe(200);
      if (status === 'superseded') {
        await h.request(caller, 'POST', `/rules/${id}/versions`, { parameters: newRule37().parameters });
        expect(
          (await h.request(caller, 'POST', `/rules/${id}/transition`, { to: 'active', version: 2 })).status,
        ).toBe(200);
      }
      const check = await h.request(caller, 'GET', `/rules/${id}`);
      expect(check.body.versions[0]).toMatchObject({ version: 1, status });
      return id;
    }

    const table: [VersionStatus, 'active' | 'superseded' | 'retired', number, string][] = [
      ['draft', 'active', 200, 'active'],
      ['draft', 'superseded', 409, 'illegal_transition'],
      ['draft', 'retired', 409, 'illegal_transition'],
      ['active', 'active', 409, 'illegal_transition'],
      ['active', 'superseded', 409, 'illegal_transition'],
      ['active', 'retired', 200, 'retired'],
      ['superseded', 'active', 409, 'illegal_transition'],
      ['superseded', 'superseded', 409, 'illegal_transition'],
      ['superseded', 'retired', 409, 'illegal_transition'],
      ['retired', 'active', 409, 'illegal_transition'],
      ['retired', 'superseded', 409, 'illegal_transition'],
      ['retired', 'retired', 409, 'illegal_transition'],
    ];

    it.each(table)('version 1 %s → %s answers %i (%s)', async (from, to, status, outcome) => {
      const tenant = `tr-${from}-${to}`;
      const id = await ruleIn(tenant, from);
      const before = await snapshotRows(h.store, tenant);
      const res = await h.request(inTenant(admin, tenant), 'POST', `/rules/${id}/transition`, {
        to,
        version: 1,
      });
      if (status === 200) {
        expect(res.status).toBe(200);
        expect(res.body.versions[0]).toMatchObject({ version: 1, status: outcome });
        expect(res.body.status).toBe(outcome === 'active' ? 'active' : 'retired');
      } else {
        expectError(res, status, outcome);
        expect(res.body.detail).toMatch(/^Version 1: /);
        expect(await snapshotRows(h.store, tenant)).toEqual(before);
      }
    });

    it('supersedes the active version when a newer draft is activated, and the tools read it at once', async () => {
      const tenant = 'activate-t';
      const caller = inTenant(admin, tenant);
      expect(await h.library.parameters.active(tenant, 'rule_37')).toMatchObject({ lease_line_min_ft: 467 });
      await h.request(caller, 'POST', '/rules/rul-rule-37/versions', {
        parameters: { ...RULE_37.parameters, lease_line_min_ft: 330, between_well_min_ft: 933 },
      });
      // A draft changes nothing the tools read.
      expect(await h.library.parameters.active(tenant, 'rule_37')).toMatchObject({ lease_line_min_ft: 467 });
      const res = await h.request(caller, 'POST', '/rules/rul-rule-37/transition', { to: 'active' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'active',
        active_version: 2,
        current: { version: 2, activated_by: 'ada' },
      });
      expect(res.body.versions.map((v: any) => [v.version, v.status])).toEqual([
        [1, 'superseded'],
        [2, 'active'],
      ]);
      expect(await h.library.parameters.active(tenant, 'rule_37')).toMatchObject({
        lease_line_min_ft: 330,
        between_well_min_ft: 933,
      });
      // Retiring it leaves the tools without Rule 37 parameters until another version is activated.
      expect(
        (await h.request(caller, 'POST', '/rules/rul-rule-37/transition', { to: 'retired' })).status,
      ).toBe(200);
      await expect(h.library.parameters.active(tenant, 'rule_37')).rejects.toMatchObject({
        status: 404,
        code: 'no_active_rule',
      });
      const retired = await h.request(inTenant(viewer, tenant), 'GET', '/rules?status=retired');
      expect(retired.body.data.map((r: any) => r.rule_key)).toEqual(['rule_37']);
    });

    it('retires the active version by default, even when a newer draft exists', async () => {
      const caller = inTenant(admin, 'retire-default-t');
      await h.request(caller, 'POST', '/rules/rul-rule-32/versions', {
        parameters: { ...RULE_32.parameters, days_used_warning: 120 },
      });
      const res = await h.request(caller, 'POST', '/rules/rul-rule-32/transition', { to: 'retired' });
      expect(res.status).toBe(200);
      expect(res.body.versions.map((v: any) => [v.version, v.status])).toEqual([
        [1, 'retired'],
        [2, 'draft'],
      ]);
      // Activating the draft afterwards brings the rule back.
      const back = await h.request(caller, 'POST', '/rules/rul-rule-32/transition', { to: 'active' });
      expect(back.body).toMatchObject({ status: 'active', active_version: 2 });
      expect(await h.library.parameters.active('retire-default-t', 'rule_32')).toMatchObject({
        days_used_warning: 120,
      });
    });

    it('answers 409 stale_version for a draft older than the active version, storing nothing', async () => {
      const tenant = 'stale-api-t';
      const caller = inTenant(admin, tenant);
      for (const ft of [400, 450])
        await h.request(caller, 'POST', '/rules/rul-rule-37/versions', {
          parameters: { ...RULE_37.parameters, lease_line_min_ft: ft },
        });
      expect(
        (await h.request(caller, 'POST', '/rules/rul-rule-37/transition', { to: 'active', version: 3 }))
          .status,
      ).toBe(200);
      const before = await snapshotRows(h.store, tenant);
      expectError(
        await h.request(caller, 'POST', '/rules/rul-rule-37/transition', { to: 'active', version: 2 }),
        409,
        'stale_version',
      );
      expect(await snapshotRows(h.store, tenant)).toEqual(before);
    });

    it('answers 404 for a version the rule does not have, 422 for a bad body and 403 for a viewer, storing nothing', async () => {
      const tenant = 'transition-bad-t';
      await h.request(inTenant(viewer, tenant), 'GET', '/rules');
      const before = await snapshotRows(h.store, tenant);
      expectError(
        await h.request(inTenant(admin, tenant), 'POST', '/rules/rul-rule-37/transition', {
          to: 'active',
          version: 7,
        }),
        404,
        'version_not_found',
      );
      const bad = await h.request(inTenant(admin, tenant), 'POST', '/rules/rul-rule-37/transition', {
        to: 'deleted',
      });
      expectError(bad, 422, 'validation_error');
      expect(bad.body.detail.map((d: any) => d.loc)).toContainEqual(['body', 'to']);
      expectError(
        await h.request(inTenant(viewer, tenant), 'POST', '/rules/rul-rule-37/transition', { to: 'retired' }),
        403,
        'insufficient_role',
      );
      expect(await snapshotRows(h.store, tenant)).toEqual(before);
    });
  });

  describe('tenant isolation', () => {
    it('keeps each tenant’s rules and versions to itself', async () => {
      const a = inTenant(admin, 'iso-a');
      const b = inTenant(admin, 'iso-b');
      const created = await h.request(a, 'POST', '/rules', newRule37());
      const id = created.body.rule_id as string;
      await h.request(a, 'POST', '/rules/rul-rule-37/versions', {
        parameters: { ...RULE_37.parameters, lease_line_min_ft: 100 },
      });
      await h.request(a, 'POST', '/rules/rul-rule-37/transition', { to: 'active' });

      const listB = await h.request(b, 'GET', '/rules');
      expect(listB.body.total).toBe(4);
      expect(listB.body.data.find((r: any) => r.rule_id === id)).toBeUndefined();
      const beforeB = await snapshotRows(h.store, 'iso-b');
      expectError(await h.request(b, 'GET', `/rules/${id}`), 404, 'not_found');
      expectError(
        await h.request(b, 'POST', `/rules/${id}/versions`, { parameters: RULE_37.parameters }),
        404,
        'not_found',
      );
      expectError(await h.request(b, 'POST', `/rules/${id}/transition`, { to: 'active' }), 404, 'not_found');
      expect(await snapshotRows(h.store, 'iso-b')).toEqual(beforeB);
      // Tenant b's Rule 37 is still the statewide one.
      expect(
        (await h.request(b, 'GET', '/rules/rul-rule-37')).body.current.parameters.lease_line_min_ft,
      ).toBe(467);
      expect(await h.library.parameters.active('iso-b', 'rule_37')).toMatchObject({ lease_line_min_ft: 467 });
      expect(await h.library.parameters.active('iso-a', 'rule_37')).toMatchObject({ lease_line_min_ft: 100 });
      // Naming another tenant is refused for a tenant admin.
      expectError(await h.request(b, 'GET', '/rules?tenant_id=iso-a'), 403, 'cross_tenant');
    });
  });
});
