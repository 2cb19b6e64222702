import { demoScenario } from '@aegis/demo';
import { createFakeGraphClient } from '@aegis/graph-client/testing';
import { dashboard } from '../reports';

const AS_OF = '2026-06-20';

/** The demo scenario the platform seeds, read by the monitor: each operator's dashboard, tallied. */
describe('the demo scenario on the compliance dashboard', () => {
  it('gives the demo operators alerts at all three levels and a few production anomalies', async () => {
    const scenario = demoScenario(AS_OF);
    const kg = createFakeGraphClient();
    await kg.bulk('default', { entities: scenario.entities, edges: scenario.edges });
    for (const p of scenario.production) await kg.putProduction('default', p.well_id, p.records);
    kg.templates.wells_by_operator = (params, tenant) =>
      kg
        .edges(tenant, 'OPERATED_BY')
        .filter((e) => e.from_label === 'Well' && e.to_id === params.operator_id)
        .map((e) => kg.entities(tenant, 'Well').find((w) => w.entity_id === e.from_id)!);
    const operators = kg.entities('default', 'Operator').map((o) => o.entity_id);
    const boards = await Promise.all(
      operators.map((id) => dashboard(kg, 'default', id, { as_of: AS_OF, window_days: 90, months: 3 })),
    );
    const all = boards.flatMap((b) => [...b.deadlines.alerts, ...b.production.alerts]);
    expect(new Set(all.map((a) => a.level))).toEqual(new Set(['critical', 'warning', 'info']));
    const codes = new Set(all.map((a) => a.code));
    for (const c of ['allowable_exceeded', 'gor_anomaly', 'zero_production', 'unauthorized_flaring'])
      expect(codes).toContain(c);
    expect(boards.some((b) => b.counts.critical > 0 && b.counts.warning > 0 && b.counts.info > 0)).toBe(true);
  });
});
