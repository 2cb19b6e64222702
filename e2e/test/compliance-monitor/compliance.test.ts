import { startCompliancePlatform, type CompliancePlatform } from './platform';

/**
 * The compliance monitor through the gateway, over a knowledge graph seeded through its API. As of
 * 2026-06-20, operator OP-1 has four wells (Field F-1: 100 bbl/d oil allowable, no GOR limit) and OP-2
 * one; tenant acme has its own well and deadline.
 */
const AS_OF = '2026-06-20';
const W = {
  A: '42317300010000', // on lease L-1; authorised by AUTH-A (100 mcf/d, to 2026-06-29)
  B: '42317300020000', // on lease L-1; active, zero production in June
  C: '42317300030000', // in F-1; flares with no authorisation
  D: '42317300040000', // in F-1; one month only (no GOR history)
  E: '42317300050000', // OP-2's
};
const e = (label: string, entity_id: string, properties: Record<string, unknown> = {}) => ({
  label,
  entity_id,
  properties,
});
const edge = (from_label: string, from_id: string, rel_type: string, to_label: string, to_id: string) => ({
  from_label,
  from_id,
  rel_type,
  to_label,
  to_id,
});

let p: CompliancePlatform;

async function seed(): Promise<void> {
  const entities = [
    e('Operator', 'OP-1', { name: 'Permian Test Co' }),
    e('Operator', 'OP-2', { name: 'Other Co' }),
    e('Field', 'F-1', { name: 'Spraberry (Trend Area)', oil_allowable_bbl_per_day: 100 }),
    e('Lease', 'L-1', { name: 'University 7' }),
    e('Formation', 'FM-1', { name: 'Wolfcamp A' }),
    e('Regulation', 'REG-32', { name: 'Rule 32', citation: '16 TAC §3.32' }),
    e('Regulation', 'REG-OOOOB', { name: 'NSPS OOOOb', citation: '40 CFR 60 Subpart OOOOb' }),
    ...Object.values(W).map((id) =>
      e('Well', id, { name: `Well ${id.slice(9, 10)}`, status: 'active', well_type: 'oil' }),
    ),
    e('FlaringAuthorization', 'AUTH-A', {
      status: 'approved',
      effective_date: '2026-01-01',
      expiry_date: '2026-06-29',
      max_volume_mcf_per_day: 100,
    }),
    e('Permit', 'P-1', {
      permit_number: '880001',
      permit_type: 'W-1',
      status: 'approved',
      expiration_date: '2026-08-01',
    }),
    e('ComplianceDeadline', 'DL-7', {
      title: 'Form PR May',
      deadline_type: 'Form PR',
      due_date: '2026-06-27',
    }),
    e('ComplianceDeadline', 'DL-8', {
      title: 'Lease filing',
      deadline_type: 'Form PR',
      due_date: '2026-06-28',
    }),
    e('ComplianceDeadline', 'DL-30', { title: 'W-10 test', deadline_type: 'W-10', due_date: '2026-07-20' }),
    e('ComplianceDeadline', 'DL-31', { title: 'H-10', deadline_type: 'H-10', due_date: '2026-07-21' }),
    e('ComplianceDeadline', 'DL-OVER', {
      title: 'Renew AUTH-A',
      deadline_type: 'R-32 renewal',
      due_date: '2026-06-10',
      status: 'missed',
    }),
    e('ComplianceDeadline', 'DL-DONE', {
      title: 'Filed',
      deadline_type: 'Form PR',
      due_date: '2026-06-21',
      status: 'filed',
    }),
    e('ComplianceDeadline', 'DL-E', {
      title: 'OP-2 filing',
      deadline_type: 'Form PR',
      due_date: '2026-06-21',
    }),
  ];
  const edges = [
    ...[W.A, W.B, W.C, W.D].map((id) => edge('Well', id, 'OPERATED_BY', 'Operator', 'OP-1')),
    edge('Well', W.E, 'OPERATED_BY', 'Operator', 'OP-2'),
    edge('Well', W.A, 'ON_LEASE', 'Lease', 'L-1'),
    edge('Well', W.B, 'ON_LEASE', 'Lease', 'L-1'),
    edge('Lease', 'L-1', 'IN_FIELD', 'Field', 'F-1'),
    edge('Well', W.C, 'IN_FIELD', 'Field', 'F-1'),
    edge('Well', W.D, 'IN_FIELD', 'Field', 'F-1'),
    edge('Well', W.A, 'PRODUCES_FROM', 'Formation', 'FM-1'),
    edge('Well', W.B, 'PRODUCES_FROM', 'Formation', 'FM-1'),
    edge('Field', 'F-1', 'GOVERNED_BY', 'Regulation', 'REG-32'),
    edge('Well', W.A, 'GOVERNED_BY', 'Regulation', 'REG-32'),
    edge('Well', W.C, 'GOVERNED_BY', 'Regulation', 'REG-OOOOB'),
    edge('FlaringAuthorization', 'AUTH-A', 'AUTHORIZES', 'Well', W.A),
    edge('Permit', 'P-1', 'AUTHORIZES', 'Well', W.B),
    edge('ComplianceDeadline', 'DL-7', 'APPLIES_TO', 'Well', W.A),
    edge('ComplianceDeadline', 'DL-8', 'APPLIES_TO', 'Lease', 'L-1'),
    edge('ComplianceDeadline', 'DL-30', 'APPLIES_TO', 'Well', W.D),
    edge('ComplianceDeadline', 'DL-31', 'APPLIES_TO', 'Well', W.C),
    edge('ComplianceDeadline', 'DL-OVER', 'APPLIES_TO', 'FlaringAuthorization', 'AUTH-A'),
    edge('ComplianceDeadline', 'DL-DONE', 'APPLIES_TO', 'Well', W.A),
    edge('ComplianceDeadline', 'DL-E', 'APPLIES_TO', 'Well', W.E),
  ];
  const bulk = await p.admin.call('POST', '/api/v1/entities/bulk', { entities, edges });
  expect(bulk.status).toBe(200);
  const production: Record<string, unknown[]> = {
    // April over the allowable (3,100 > 100 × 30); June GOR 2,500 mcf × 1,000 / 1,000 bbl = 2,500 > 2 × the
    // median of April and May.
    [W.A]: [
      { period: '2026-04', oil_bbl: 3100, gas_mcf: 1000 },
      { period: '2026-05', oil_bbl: 2000, gas_mcf: 1000 },
      { period: '2026-06', oil_bbl: 1000, gas_mcf: 2500, flared_mcf: 1500 },
    ],
    [W.B]: [{ period: '2026-06', oil_bbl: 0, gas_mcf: 0 }],
    [W.C]: [{ period: '2026-06', oil_bbl: 500, gas_mcf: 600, flared_mcf: 200 }],
    [W.D]: [{ period: '2026-06', oil_bbl: 1000, gas_mcf: 2000 }],
    [W.E]: [{ period: '2026-06', oil_bbl: 0, gas_mcf: 0 }],
  };
  for (const [id, records] of Object.entries(production)) {
    const r = await p.admin.call('PUT', `/api/v1/entities/Well/${id}/production`, { records });
    expect(r.status).toBe(200);
  }
  const acme = await p.acme.call('POST', '/api/v1/entities/bulk', {
    entities: [
      e('Operator', 'OP-1', { name: 'Acme' }),
      e('Well', W.A, { status: 'active' }),
      e('ComplianceDeadline', 'DL-ACME', { title: 'Acme PR', due_date: '2026-06-22' }),
    ],
    edges: [
      edge('Well', W.A, 'OPERATED_BY', 'Operator', 'OP-1'),
      edge('ComplianceDeadline', 'DL-ACME', 'APPLIES_TO', 'Well', W.A),
    ],
  });
  expect(acme.status).toBe(200);
}

beforeAll(async () => {
  p = await startCompliancePlatform();
  await seed();
}, 180_000);
afterAll(async () => {
  await p?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
const keys = (alerts: any[]) => alerts.map((a) => `${a.level} ${a.code} ${a.entity.label}:${a.entity.id}`);

describe('POST /api/v1/compliance/deadlines', () => {
  it('reports the operator’s deadlines by level at the 7/8 and 30/31-day boundaries, with their rule', async () => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/deadlines', {
      as_of: AS_OF,
      operator_id: 'OP-1',
    });
    expect(r.status).toBe(200);
    expect(keys(r.body.alerts)).toEqual([
      'critical deadline_overdue ComplianceDeadline:DL-OVER', // -10 days (via AUTH-A)
      'critical deadline_7d ComplianceDeadline:DL-7', // 7 days
      'warning deadline_30d ComplianceDeadline:DL-8', // 8 days (via lease L-1)
      'warning deadline_30d FlaringAuthorization:AUTH-A', // expires in 9 days
      'warning deadline_30d ComplianceDeadline:DL-30', // 30 days
      'info deadline_upcoming ComplianceDeadline:DL-31', // 31 days
      'info deadline_upcoming Permit:P-1', // expires in 42 days
    ]);
    expect(r.body.counts).toEqual({ critical: 2, warning: 3, info: 2 });
    const over = r.body.alerts[0];
    expect(over).toMatchObject({
      rule: '16 TAC §3.32 (Rule 32)',
      data: { due_date: '2026-06-10', days_until_due: -10, well_ids: [W.A] },
      dedupe_key: 'deadline_overdue:ComplianceDeadline:DL-OVER:2026-06-10',
    });
    expect(
      r.body.alerts.find((a: { entity: { id: string } }) => a.entity.id === 'DL-8').data.well_ids,
    ).toEqual([W.A, W.B]);
  });

  it('covers every deadline of the tenant without a scope, and only its tenant’s', async () => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/deadlines', { as_of: AS_OF, window_days: 30 });
    expect(r.status).toBe(200);
    expect(r.body.counts).toEqual({ critical: 3, warning: 3, info: 0 }); // + DL-E of OP-2; 31+ days left out
    expect(keys(r.body.alerts)).not.toContain('critical deadline_7d ComplianceDeadline:DL-ACME');
    const acme = await p.acme.call('POST', '/api/v1/compliance/deadlines', { as_of: AS_OF });
    expect(keys(acme.body.alerts)).toEqual(['critical deadline_7d ComplianceDeadline:DL-ACME']);
  });

  it.each([
    [{ well_ids: ['42-317-3'] }, ['body', 'well_ids', 0]],
    [{ window_days: -1 }, ['body', 'window_days']],
    [{ as_of: '2026-02-30' }, ['body', 'as_of']],
    [{ operator_id: 'OP-404' }, ['body', 'operator_id']],
    [{ well_ids: ['42317399990000'] }, ['body', 'well_ids', 0]],
    [{ operator_id: 'OP-1', well_ids: [W.A] }, ['body', 'well_ids']],
  ])('answers 422 naming the field for %j', async (body, loc) => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/deadlines', body);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
    expect(r.body.detail.map((d: { loc: unknown }) => d.loc)).toContainEqual(loc);
  });
});

describe('POST /api/v1/compliance/deadlines: unknown fields', () => {
  it('answers 422 naming the unknown field', async () => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/deadlines', { surprise: 1 });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.detail)).toContain('surprise');
  });
});

describe('POST /api/v1/compliance/production', () => {
  it('finds the allowable exceedance, the GOR anomaly, zero production and unauthorised flaring', async () => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/production', {
      as_of: AS_OF,
      operator_id: 'OP-1',
      months: 3,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ period_from: '2026-04', period_to: '2026-06', wells_checked: 4 });
    expect(keys(r.body.alerts)).toEqual([
      `critical allowable_exceeded Well:${W.A}`,
      `critical unauthorized_flaring Well:${W.C}`,
      `warning gor_anomaly Well:${W.A}`,
      `warning zero_production Well:${W.B}`,
    ]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const by = (code: string) => r.body.alerts.find((a: any) => a.code === code);
    expect(by('allowable_exceeded')).toMatchObject({
      rule: '16 TAC §3.52 (oil well allowable)',
      data: {
        period: '2026-04',
        oil_bbl: 3100,
        allowable_bbl: 3000,
        excess_bbl: 100,
        allowable_from: 'Field F-1.oil_allowable_bbl_per_day',
      },
    });
    // June 2,500 scf/bbl against 2 × the median of April (1,000 × 1,000 / 3,100 = 322.6) and May (500)
    expect(by('gor_anomaly').data).toMatchObject({
      period: '2026-06',
      gor_scf_per_bbl: 2500,
      baseline_scf_per_bbl: 411.3,
    });
    expect(by('unauthorized_flaring')).toMatchObject({
      rule: '16 TAC §3.32 (Rule 32)',
      data: { flared_mcf: 200, authorizations_of_well: [] },
    });
  });

  it('names a well by API number with dashes, and a month outside the window finds nothing', async () => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/production', {
      as_of: AS_OF,
      well_ids: ['42-317-30001-00-00'],
      months: 2,
    });
    expect(r.status).toBe(200);
    expect(keys(r.body.alerts)).toEqual([`warning gor_anomaly Well:${W.A}`]);
  });
});

describe('POST /api/v1/compliance/rule-changes', () => {
  it('finds the wells a regulation governs directly, through their field and through their lease’s field', async () => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/rule-changes', {
      regulation_id: 'REG-32',
      effective_date: '2026-09-01',
      description: 'Shorter exceptions',
    });
    expect(r.status).toBe(200);
    expect(r.body.changed).toMatchObject({ label: 'Regulation', id: 'REG-32', citation: '16 TAC §3.32' });
    expect(
      r.body.affected_wells.map((w: { well_id: string; via: string[] }) => [w.well_id, w.via.length]),
    ).toEqual([
      [W.A, 2], // GOVERNED_BY directly and through L-1 → F-1
      [W.B, 1],
      [W.C, 1],
      [W.D, 1],
    ]);
    expect(r.body.alerts[0]).toMatchObject({ level: 'info', code: 'rule_change', rule: '16 TAC §3.32' });
  });

  it('narrows to an operator, and takes a formation or a field', async () => {
    const oooob = await p.viewer.call('POST', '/api/v1/compliance/rule-changes', {
      regulation_id: 'REG-OOOOB',
      operator_id: 'OP-2',
    });
    expect(oooob.body.affected_wells).toEqual([]);
    const fm = await p.viewer.call('POST', '/api/v1/compliance/rule-changes', { formation_id: 'FM-1' });
    expect(fm.body.affected_wells.map((w: { well_id: string }) => w.well_id)).toEqual([W.A, W.B]);
    const field = await p.viewer.call('POST', '/api/v1/compliance/rule-changes', { field_id: 'F-1' });
    expect(field.body.total).toBe(4);
  });

  it('answers 422 for no rule, two rules or an unknown one', async () => {
    for (const [body, loc] of [
      [{}, ['body', 'regulation_id']],
      [{ regulation_id: 'REG-32', field_id: 'F-1' }, ['body', 'regulation_id']],
      [{ formation_id: 'FM-404' }, ['body', 'formation_id']],
    ] as const) {
      const r = await p.viewer.call('POST', '/api/v1/compliance/rule-changes', body);
      expect(r.status).toBe(422);
      expect(r.body.detail.map((d: { loc: unknown }) => d.loc)).toContainEqual(loc);
    }
  });
});

describe('POST /api/v1/compliance/risk-score', () => {
  it('scores and ranks the wells, each factor’s points summing to the score (worked by hand)', async () => {
    const r = await p.viewer.call('POST', '/api/v1/compliance/risk-score', {
      as_of: AS_OF,
      operator_id: 'OP-1',
      months: 3,
    });
    expect(r.status).toBe(200);
    // A: overdue DL-OVER 30 + June GOR 5 + April over allowable 5 + 1,500 of 3,000 mcf authorised 12.5 = 52.5
    // C: DL-31 in 31 days 5 + June unauthorised flaring 5 + no history 0 + flaring with no authorisation 25 = 35
    // B: DL-8 in 8 days 15 + zero production 5 = 20;  D: DL-30 in 30 days 15 = 15
    type Row = { rank: number; well_id: string; score: number; factors: { points: number }[] };
    const rows = (r.body.wells as Row[]).map((w) => [
      w.rank,
      w.well_id,
      w.score,
      w.factors.map((f) => f.points),
    ]);
    expect(rows).toEqual([
      [1, W.A, 52.5, [30, 5, 5, 12.5]],
      [2, W.C, 35, [5, 5, 0, 25]],
      [3, W.B, 20, [15, 5, 0, 0]],
      [4, W.D, 15, [15, 0, 0, 0]],
    ]);
    expect(r.body.weights).toEqual({
      deadline_proximity: 30,
      open_issues: 20,
      violation_history: 25,
      flaring_exposure: 25,
    });
  });
});

describe('GET /api/v1/compliance/dashboard/{operator_id}', () => {
  it('aggregates the four for the operator’s wells only, with alerts at all three levels', async () => {
    const r = await p.viewer.call('GET', `/api/v1/compliance/dashboard/OP-1?as_of=${AS_OF}&months=3`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ operator: { id: 'OP-1', name: 'Permian Test Co' }, wells: 4 });
    expect(r.body.counts).toEqual({ critical: 4, warning: 5, info: 2 });
    expect(r.body.deadlines.total).toBe(7);
    expect(r.body.production.total).toBe(4);
    expect(r.body.risk.wells[0]).toMatchObject({ well_id: W.A, score: 52.5 });
    expect(r.body.rule_changes.regulations).toEqual([
      { regulation_id: 'REG-32', name: 'Rule 32', citation: '16 TAC §3.32', wells: 1 },
      { regulation_id: 'REG-OOOOB', name: 'NSPS OOOOb', citation: '40 CFR 60 Subpart OOOOb', wells: 1 },
    ]);
    expect(JSON.stringify(r.body)).not.toContain(W.E);
  });

  it('is 404 for an operator of another tenant, and 403 when a viewer names another tenant', async () => {
    const other = await p.acme.call('GET', '/api/v1/compliance/dashboard/OP-2');
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ code: 'operator_not_found', request_id: expect.any(String) });
    const cross = await p.viewer.call('GET', '/api/v1/compliance/dashboard/OP-1?tenant_id=acme');
    expect(cross.status).toBe(403);
    const acme = await p.acme.call('GET', `/api/v1/compliance/dashboard/OP-1?as_of=${AS_OF}`);
    expect(acme.body).toMatchObject({
      operator: { name: 'Acme' },
      wells: 1,
      counts: { critical: 1, warning: 0, info: 0 },
    });
  });
});
