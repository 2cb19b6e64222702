/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { createLogger, createMetrics, createServiceApi, createServiceApp, openStore } from '@aegis/common';
import { jsonRequest, listen, type Listening } from '@aegis/testing';
import { startToolPlatform, type ToolPlatform } from '../../tools/__tests__/platform-harness';
import { buildToolRegistry } from '../../tools/registry';
import type { R32DraftResult } from '../../tools/filing';
import type { SpacingReport } from '../../tools/spacing';
import type { ToolContext, ToolRegistry } from '../../tools/types';
import { createRuleChangeImpact } from '../impact';
import { createRulesLibrary, type RulesLibrary } from '../library';
import { RULES_MIGRATIONS } from '../store/migrations';
import type { RulesDatabase, RulesStore } from '../store/schema';

/**
 * The rules library as the running service wires it: one library whose active parameters the tools
 * compute with, and whose activations ask the compliance monitor which wells change; over the
 * knowledge graph, flaring and compliance monitors in process on the demo scenario.
 */

const PERMITTED_WELL = '42317300440000'; // UNIVERSITY 7-12 5H: about 900 ft from 4H (Rule 37)
const NEIGHBOUR_WELL = '42317300330000'; // UNIVERSITY 7-12 4H
const RULE_37_ID = 'rul-rule-37';
const NEAR_LIMIT_WELL = '42317300000000'; // UNIVERSITY 7-12 1H: R32-0041235-1 at about 85 %

describe('the rules library drives the tools and reports a change’s impact (demo data)', () => {
  let platform: ToolPlatform;
  let store: RulesStore;
  let rules: RulesLibrary;
  let registry: ToolRegistry;
  let app: Listening;
  let unreachable: Listening;
  const logger = createLogger({ service: 'rules-tools-test', level: 'silent' });

  const appOf = async (library: RulesLibrary) => {
    const api = createServiceApi({ verifier: platform.verifier, checkResponses: true });
    library.register(api);
    return listen(
      createServiceApp({
        name: 'orchestration',
        logger,
        metrics: createMetrics('rt'),
        routers: [api.router],
      }),
    );
  };
  const request = async (
    at: Listening,
    role: 'admin' | 'viewer',
    method: string,
    path: string,
    body?: unknown,
  ) =>
    jsonRequest(`${at.url}${path}`, method, {
      token: await platform.issuer.sign({ sub: 'ada', user_id: 'ada', roles: [role], tenant_id: 'default' }),
      body,
    });
  const spacing = async (ctx: ToolContext, args: Record<string, unknown>) => {
    const tool = registry.get('rule37_spacing')!;
    return (await tool.run(tool.input.parse(args), ctx)) as SpacingReport;
  };
  const withRules = async (): Promise<ToolContext> => ({
    ...(await platform.context()),
    rules: rules.parameters,
  });
  /** Adds a version with `parameters` and activates it; the transition's answer. */
  const activate = async (at: Listening, parameters: Record<string, unknown>, note: string) => {
    const added = await request(at, 'admin', 'POST', `/rules/${RULE_37_ID}/versions`, { parameters, note });
    expect(added.status).toBe(201);
    return request(at, 'admin', 'POST', `/rules/${RULE_37_ID}/transition`, {
      to: 'active',
      version: added.body.version,
    });
  };

  beforeAll(async () => {
    platform = await startToolPlatform();
    registry = buildToolRegistry();
    store = await openStore<RulesDatabase>({ url: 'sqlite::memory:' });
    await store.migrate('orchestration', RULES_MIGRATIONS);
    rules = createRulesLibrary(store, {
      impact: createRuleChangeImpact({ baseUrl: platform.urls.complianceMonitor, timeoutMs: 10_000 }),
      logger,
    });
    app = await appOf(rules);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await unreachable?.close();
    await store?.close();
    await platform?.close();
  });

  it('a new active Rule 37 version changes the spacing verdict of the same well, citing the version', async () => {
    const args = { well_id: PERMITTED_WELL, lease_line_distance_ft: 400 };
    // Without a library (unit tests): the bundled statewide minimums, cited as such.
    const bundled = await spacing(await platform.context(), args);
    expect(bundled.rule_version).toEqual({
      rule_key: 'rule_37',
      citation: '16 TAC §3.37',
      version: null,
      source: 'bundled',
    });
    // The tenant's active version 1 is the bundled rule: 467 ft and 1,200 ft, both violated.
    const before = await spacing(await withRules(), args);
    expect(before.rule_version).toEqual({
      rule_key: 'rule_37',
      citation: '16 TAC §3.37',
      version: 1,
      source: 'rules_library',
    });
    expect(before.minimums).toMatchObject({ source: 'statewide', lease_line_ft: 467, between_well_ft: 1200 });
    expect(before.violations.map((v) => v.kind)).toEqual(['lease_line', 'between_well']);
    expect(before.compliant).toBe(false);
    const distance = before.offset_wells.find((o) => o.well_id === NEIGHBOUR_WELL)!.distance_ft;
    expect(distance).toBeGreaterThan(850);

    // Version 2: 330 ft from lease lines, 850 ft between wells.
    const v2 = await activate(
      app,
      { lease_line_min_ft: 330, between_well_min_ft: 850, default_proration_unit_acres: 40, field_rules: [] },
      'Tighter statewide spacing',
    );
    expect(v2.status).toBe(200);
    expect(v2.body.current).toMatchObject({ version: 2, status: 'active' });
    const after = await spacing(await withRules(), args);
    expect(after.rule_version).toMatchObject({ version: 2, source: 'rules_library' });
    expect(after.minimums).toMatchObject({ source: 'statewide', lease_line_ft: 330, between_well_ft: 850 });
    expect(after.minimums.note).toContain('330 ft from lease lines, 850 ft between wells');
    expect(after.lease_line).toMatchObject({ status: 'ok', minimum_ft: 330, distance_ft: 400 });
    expect(after.violations).toEqual([]);
    expect(after.compliant).toBe(true);
    expect(after.exception_required).toBe(false);

    // Version 3: a field rule of 1,320 ft between wells for the well's field wins again.
    const fieldNumber = after.field!.field_number!;
    const v3 = await activate(
      app,
      {
        lease_line_min_ft: 330,
        between_well_min_ft: 850,
        default_proration_unit_acres: 40,
        field_rules: [
          {
            field_number: fieldNumber,
            lease_line_min_ft: 467,
            between_well_min_ft: 1320,
            proration_unit_acres: 80,
          },
        ],
      },
      `Field rules for field ${fieldNumber}`,
    );
    expect(v3.status).toBe(200);
    const fielded = await spacing(await withRules(), args);
    expect(fielded.rule_version).toMatchObject({ version: 3 });
    expect(fielded.minimums).toMatchObject({
      source: 'field_rule',
      lease_line_ft: 467,
      between_well_ft: 1320,
    });
    expect(fielded.proration_unit_acres).toBe(80);
    expect(fielded.violations).toEqual([
      expect.objectContaining({ kind: 'lease_line', minimum_ft: 467 }),
      expect.objectContaining({ kind: 'between_well', well_id: NEIGHBOUR_WELL, minimum_ft: 1320 }),
    ]);
  });

  it('the activation answers the wells the compliance monitor says the change affects', async () => {
    const res = await activate(
      app,
      {
        lease_line_min_ft: 467,
        between_well_min_ft: 1200,
        default_proration_unit_acres: 40,
        field_rules: [],
      },
      'Back to the statewide figures',
    );
    expect(res.status).toBe(200);
    const version = res.body.current.version;
    const monitor = await platform.direct<any>('compliance-monitor', 'POST', '/compliance/rule-changes', {
      regulation_id: 'REG-TAC-3.37',
      description: `16 TAC §3.37 version ${version} is active: Back to the statewide figures`,
      effective_date: res.body.current.activated_at.slice(0, 10),
    });
    expect(res.body.impact).toEqual(monitor);
    expect(res.body.impact.changed).toMatchObject({ label: 'Regulation', id: 'REG-TAC-3.37' });
    expect(res.body.impact.affected_wells.map((w: any) => w.well_id)).toEqual(
      expect.arrayContaining([PERMITTED_WELL, NEIGHBOUR_WELL]),
    );
    expect(res.body.impact_error).toBeUndefined();
    // Retiring is no rule change the monitor is asked about.
    const retired = await request(app, 'admin', 'POST', `/rules/rul-form-pr/transition`, { to: 'retired' });
    expect(retired.status).toBe(200);
    expect(retired.body.impact).toBeUndefined();
    expect(retired.body.impact_error).toBeUndefined();
  });

  it('an unreachable monitor leaves the activation committed, with impact_error', async () => {
    const offline = createRulesLibrary(store, {
      impact: createRuleChangeImpact({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2_000 }),
      logger,
    });
    unreachable = await appOf(offline);
    const res = await activate(
      unreachable,
      {
        lease_line_min_ft: 400,
        between_well_min_ft: 1000,
        default_proration_unit_acres: 40,
        field_rules: [],
      },
      'Monitor down',
    );
    expect(res.status).toBe(200);
    expect(res.body.impact).toBeUndefined();
    expect(res.body.impact_error).toEqual({
      code: 'compliance_monitor_unavailable',
      message: expect.any(String),
    });
    const detail = await request(app, 'viewer', 'GET', `/rules/${RULE_37_ID}`);
    expect(detail.body.current).toMatchObject({ version: res.body.current.version, status: 'active' });
    expect(detail.body.current.parameters).toMatchObject({
      lease_line_min_ft: 400,
      between_well_min_ft: 1000,
    });
  });

  it('an R-32 draft applies the active Rule 32 day limit and refuses a longer duration', async () => {
    const tool = registry.get('assemble_filing_draft')!;
    const draft = async (args: Record<string, unknown>) =>
      (await tool.run(
        tool.input.parse({ form_type: 'R-32', well_id: NEAR_LIMIT_WELL, ...args }),
        await withRules(),
      )) as R32DraftResult;
    const before = await draft({});
    expect(before.draft.duration_days).toBe(180);
    expect(before.rule_version).toMatchObject({ rule_key: 'rule_32', version: 1, source: 'rules_library' });

    const added = await request(app, 'admin', 'POST', '/rules/rul-rule-32/versions', {
      parameters: {
        max_exception_days: 90,
        volume_warning_pct: 80,
        volume_critical_pct: 100,
        days_used_warning: 75,
        gathering_line_connection_max_days: 60,
      },
    });
    expect(added.status).toBe(201);
    const active = await request(app, 'admin', 'POST', '/rules/rul-rule-32/transition', { to: 'active' });
    expect(active.status).toBe(200);
    expect(active.body.impact.changed).toMatchObject({ label: 'Regulation', id: 'REG-TAC-3.32' });

    const after = await draft({});
    expect(after.rule_version).toMatchObject({ version: 2 });
    expect(after.draft.duration_days).toBe(90);
    expect(after.draft.application.end_date).toBe(
      new Date(Date.parse(`${after.draft.application.start_date}T00:00:00Z`) + 90 * 86_400_000)
        .toISOString()
        .slice(0, 10),
    );
    expect(after.draft.checklist).toContainEqual({ item: 'Duration within 90 days', complete: true });
    await expect(draft({ duration_days: 120 })).rejects.toMatchObject({
      status: 422,
      code: 'validation_error',
      detail: [
        expect.objectContaining({
          loc: ['duration_days'],
          msg: 'must be at most 90 days (16 TAC §3.32 version 2)',
        }),
      ],
    });
  });
});
