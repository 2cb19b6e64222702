import type { Assessment, DeadlineReport, Forecasts } from '../answers';
import type { R32DraftResult, W1DraftResult } from '../filing';
import { buildToolRegistry } from '../registry';
import type { SpacingReport } from '../spacing';
import type { ToolContext, ToolRegistry } from '../types';
import { startToolPlatform, type ToolPlatform } from './platform-harness';

/** The tools against the real knowledge graph, flaring monitor and compliance monitor in process, on
 * the demo scenario: their figures are the services' own. */

const NEAR_LIMIT_WELL = '42317300000000'; // UNIVERSITY 7-12 1H: R32-0041235-1 at about 85 %
const PERMITTED_WELL = '42317300440000'; // UNIVERSITY 7-12 5H: about 900 ft from 4H (Rule 37)
const NEIGHBOUR_WELL = '42317300330000'; // UNIVERSITY 7-12 4H

describe('orchestration tools over the platform (demo data)', () => {
  let platform: ToolPlatform;
  let registry: ToolRegistry;
  let ctx: ToolContext;

  const run = async <T>(name: string, args: Record<string, unknown>, c = ctx): Promise<T> => {
    const tool = registry.get(name)!;
    return (await tool.run(tool.input.parse(args), c)) as T;
  };

  beforeAll(async () => {
    platform = await startToolPlatform();
    registry = buildToolRegistry();
    ctx = await platform.context();
  });
  afterAll(() => platform.close());

  it('flaring_assess answers the flaring monitor’s own figures for a well near its limit', async () => {
    const mine = await run<Assessment>('flaring_assess', { well_id: '42-317-30000-00-00' });
    const theirs = await platform.direct<Assessment>('flaring-monitor', 'POST', '/flaring/assess', {
      well_id: NEAR_LIMIT_WELL,
    });
    expect(mine).toEqual(theirs);
    const auth = mine.authorizations.find((a) => a.authorization_id === 'R32-0041235-1')!;
    expect(auth.volume_pct).toBeGreaterThanOrEqual(80);
    expect(auth.volume_pct).toBeLessThan(100);
    expect(mine.level).toBe('warning');
  });

  it('flaring_forecast and flaring_burn_rate pass the scope through', async () => {
    const f = await run<Forecasts>('flaring_forecast', { well_id: NEAR_LIMIT_WELL });
    expect(f.data.map((d) => d.authorization_id)).toEqual(['R32-0041235-1']);
    const b = await run<{ burn_rate_mcf_per_day: number; window_days: number }>('flaring_burn_rate', {
      well_id: NEAR_LIMIT_WELL,
      window_days: 14,
    });
    expect(b.window_days).toBe(14);
    expect(b.burn_rate_mcf_per_day).toBeGreaterThanOrEqual(0);
  });

  it('rule37_spacing finds the demo well about 900 ft from its neighbour, inside the 1,200 ft statewide minimum', async () => {
    const s = await run<SpacingReport>('rule37_spacing', { well_id: PERMITTED_WELL });
    expect(s.rule).toBe('16 TAC §3.37');
    expect(s.minimums).toMatchObject({ source: 'statewide', lease_line_ft: 467, between_well_ft: 1200 });
    const offsets = await platform.direct<{ data: { entity_id: string; distance_ft: number }[] }>(
      'knowledge-graph',
      'POST',
      '/query',
      { template_id: 'offset_wells', params: { well_id: PERMITTED_WELL, radius_ft: 2640 } },
    );
    // The same great-circle distances as the graph's offset_wells template.
    expect(s.offset_wells.map((o) => [o.well_id, o.distance_ft])).toEqual(
      offsets.data.map((o) => [o.entity_id, o.distance_ft]),
    );
    expect(s.violations).toEqual([
      expect.objectContaining({ kind: 'between_well', well_id: NEIGHBOUR_WELL, minimum_ft: 1200 }),
    ]);
    expect(s.violations[0].distance_ft).toBeGreaterThan(800);
    expect(s.violations[0].shortfall_ft).toBeCloseTo(1200 - s.violations[0].distance_ft, 5);
    expect(s.exception_required).toBe(true);
    expect(s.lease_line.status).toBe('not_evaluated');
  });

  it('rule37_spacing applies a field rule (1,320 ft) where the field has one', async () => {
    // Lease 3 (REEVES STATE 54-2) is in PHANTOM (WOLFCAMP), field rule 1,320 ft.
    const s = await run<SpacingReport>('rule37_spacing', {
      well_id: '42389304550000',
      lease_line_distance_ft: 300,
    });
    expect(s.minimums).toMatchObject({ source: 'field_rule', between_well_ft: 1320, lease_line_ft: 467 });
    expect(s.lease_line).toMatchObject({ status: 'violation', distance_ft: 300, source: 'given' });
    // Its neighbour 4H is closer than 1,320 ft: a violation under the field rule.
    expect(s.violations.map((v) => v.kind)).toEqual(['lease_line', 'between_well']);
  });

  it('compliance_deadlines reports the compliance monitor’s alerts', async () => {
    const mine = await run<DeadlineReport>('compliance_deadlines', { operator_id: 'OP-123456' });
    const theirs = await platform.direct<DeadlineReport>(
      'compliance-monitor',
      'POST',
      '/compliance/deadlines',
      {
        operator_id: 'OP-123456',
      },
    );
    expect(mine).toEqual(theirs);
    expect(mine.counts.critical + mine.counts.warning).toBeGreaterThan(0);
  });

  it('assemble_filing_draft builds a W-1 with a good-cause narrative from the spacing violation', async () => {
    const r = await run<W1DraftResult>('assemble_filing_draft', {
      form_type: 'W-1',
      well_id: PERMITTED_WELL,
    });
    expect(r.draft.form_type).toBe('W-1');
    expect(r.draft.violations).toHaveLength(1);
    expect(r.draft.operator.number).toBe('123456');
    expect(r.draft.good_cause_narrative).toContain('16 TAC §3.37');
  });

  it('assemble_filing_draft builds an R-32 renewal the flaring monitor validates', async () => {
    const r = await run<R32DraftResult>('assemble_filing_draft', {
      form_type: 'R-32',
      well_id: NEAR_LIMIT_WELL,
    });
    expect(r.draft.application.renewal).toBe(true);
    expect(r.draft.application.requested_volume_mcf_per_day).toBe(250);
    expect(r.draft.duration_days).toBe(180);
    expect(r.validation.errors).toBe(0);
  });

  it('the mutating tools declare their checkpoint and write a filing package once approved', async () => {
    const tool = registry.get('file_spacing_exception')!;
    const args = tool.input.parse({
      well_id: PERMITTED_WELL,
      good_cause_narrative: 'Waste.',
      summary: 'W-1',
    });
    expect(tool.mutating!.approval(args)).toMatchObject({
      checkpoint_type: 'good_cause_review',
      payload: { filing_type: 'W-1', entity_id: PERMITTED_WELL, summary: 'W-1' },
    });
    const written = await tool.run(args, ctx);
    expect(written).toMatchObject({ label: 'FilingPackage', status: 'submitted' });
    const id = (written as { entity_id: string }).entity_id;
    const stored = await platform.direct<{ properties: Record<string, unknown> }>(
      'knowledge-graph',
      'GET',
      `/entities/FilingPackage/${encodeURIComponent(id)}`,
    );
    expect(stored.properties).toMatchObject({ form_type: 'W-1', well_id: PERMITTED_WELL, run_id: 'run-1' });
    // Replaying the same call writes the same record, not a second one.
    await tool.run(args, ctx);
    const all = await platform.direct<{ total: number }>('knowledge-graph', 'GET', '/entities/FilingPackage');
    expect(all.total).toBe(1);
  });

  it('raise_compliance_alert records a follow-up deadline on the entity once approved', async () => {
    const tool = registry.get('raise_compliance_alert')!;
    const args = tool.input.parse({
      entity_label: 'FlaringAuthorization',
      entity_id: 'R32-0051002-L',
      level: 'critical',
      summary: 'R32-0051002-L is over its authorised volume',
      alerts: [{ code: 'volume_exceeded', message: '105 %' }],
    });
    expect(tool.mutating!.approval(args)).toMatchObject({
      checkpoint_type: 'compliance_alert',
      payload: { entity_id: 'R32-0051002-L', summary: 'R32-0051002-L is over its authorised volume' },
    });
    const written = (await tool.run(args, ctx)) as { entity_id: string; due_date: string };
    expect(written).toMatchObject({ entity_id: 'DL-ALERT-run-1', due_date: '2026-06-27' });
    const edges = await platform.direct<{ data: { rel_type: string; to_id: string }[] }>(
      'knowledge-graph',
      'GET',
      '/edges/ComplianceDeadline/DL-ALERT-run-1',
    );
    expect(edges.data).toEqual([expect.objectContaining({ rel_type: 'APPLIES_TO', to_id: 'R32-0051002-L' })]);
  });

  it('keeps tenants apart: another tenant does not see the demo well', async () => {
    const other = await platform.context('acme');
    await expect(run('context_assemble', { well_id: NEAR_LIMIT_WELL }, other)).rejects.toMatchObject({
      status: 404,
      code: 'well_not_found',
    });
  });

  it('refuses malformed arguments before running', () => {
    const spacing = registry.get('rule37_spacing')!.input.safeParse({ well_id: '12-345' });
    expect(spacing.success).toBe(false);
    expect(spacing.error?.issues[0]).toMatchObject({ path: ['well_id'] });
    expect(spacing.error?.issues[0].message).toMatch(/API number/);
    // The monitors' own request schemas: unknown fields are refused.
    expect(registry.get('flaring_assess')!.input.safeParse({ well: '42317300000000' }).success).toBe(false);
    expect(
      registry
        .get('compliance_deadlines')!
        .input.safeParse({ operator_id: 'OP-1', well_ids: ['42317300000000'] }).success,
    ).toBe(false);
  });
});
