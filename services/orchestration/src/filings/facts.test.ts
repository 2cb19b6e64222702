import { buildDemoGraph } from '@aegis/demo';
import { createFakeGraphClient } from '@aegis/graph-client/testing';
import { RULE_37 } from '../rules';
import { createFilingFacts, createFlaringAssessor, type FlaringAssessment } from './facts';

const demo = buildDemoGraph('2026-11-02');
const caller = { token: 't', tenantId: 'tenant-a' };
const leaseAuth = demo.authorizations.find((a) => a.id === 'R32-0051002-L')!;
const authorization = (id: string, wells: string[], mcfd: number) => ({
  authorization_id: id,
  status: 'approved',
  effective_date: '2026-06-01',
  expiry_date: '2026-11-28',
  max_volume_mcf_per_day: mcfd,
  authorised_days: 180,
  authorised_volume_mcf: mcfd * 180,
  cumulative_volume_mcf: 1000.125,
  remaining_volume_mcf: mcfd * 180 - 1000.125,
  volume_pct: 1,
  days_used: 100,
  days_remaining: 80,
  well_ids: wells,
  level: 'ok',
});

async function graph() {
  const kg = createFakeGraphClient();
  await kg.bulk(caller, { entities: demo.entities, edges: demo.edges });
  return kg;
}

describe('createFilingFacts', () => {
  it('reads a lease-wide R-32: the lease, its operator and field, the authorisations of its wells', async () => {
    const assessed: unknown[] = [];
    const assessment: FlaringAssessment = {
      as_of: '2026-11-02',
      authorizations: [
        authorization(leaseAuth.id, leaseAuth.wells, leaseAuth.mcfPerDay),
        authorization('R32-ELSEWHERE', ['42000000000000'], 10),
      ],
      unauthorized: [
        { well_id: leaseAuth.wells[1], volume_mcf: 0.1 },
        { well_id: '42000000000000', volume_mcf: 5 },
      ],
    };
    const facts = await createFilingFacts({
      kg: await graph(),
      flaring: (_caller, body) => {
        assessed.push(body);
        return Promise.resolve(assessment);
      },
    }).collect(caller, 'tenant-a', { label: 'Lease', id: 'LSE-08-51002' }, 'R-32');
    expect(assessed).toEqual([{}]);
    expect(facts.well).toBeNull();
    expect(facts.lease).toMatchObject({ lease_id: 'LSE-08-51002', lease_number: '51002' });
    expect(facts.operator?.operator_number).toMatch(/^\d{6}$/);
    expect(facts.field?.field_number).toMatch(/^\d{8}$/);
    expect(facts.flaring).toMatchObject({
      requested_volume_mcf_per_day: leaseAuth.mcfPerDay,
      requested_days: 180,
      cumulative_volume_mcf: 1000.125,
      unauthorized_volume_mcf: 0.1,
    });
    expect(facts.flaring?.authorizations.map((a) => a.authorization_id)).toEqual([leaseAuth.id]);
    expect(facts.spacing).toBeUndefined();
  });

  it('applies the field rule of the tenant’s active Rule 37 over the statewide minimums (W-1)', async () => {
    const kg = await graph();
    const well = demo.wells[0].id;
    const fieldNumber = String(
      demo.entities.find((e) => e.label === 'Well' && e.entity_id === well)!.properties.field_number,
    );
    const radii: unknown[] = [];
    kg.templates.offset_wells = (params) => {
      radii.push(params.radius_ft);
      return [{ entity_id: demo.wells[1].id, properties: {}, distance_ft: 1_300 }];
    };
    const facts = await createFilingFacts({
      kg,
      flaring: () => Promise.reject(new Error('not for a W-1')),
      rule37: () =>
        Promise.resolve({
          ...RULE_37.parameters,
          field_rules: [{ field_number: fieldNumber, lease_line_min_ft: 660, between_well_min_ft: 1_320 }],
        }),
    }).collect(caller, 'tenant-a', { label: 'Well', id: well }, 'W-1');
    expect(radii).toEqual([1_320]);
    expect(facts.spacing).toEqual({
      rule: '16 TAC §3.37',
      rule_source: 'field rule',
      lease_line_min_ft: 660,
      between_well_min_ft: 1_320,
      offset_wells: [{ api_number: demo.wells[1].id, name: null, distance_ft: 1_300 }],
      nearest_offset_ft: 1_300,
      exception_required: true,
    });
  });

  it('answers 502 when the entity has left the graph', async () => {
    await expect(
      createFilingFacts({
        kg: createFakeGraphClient(),
        flaring: () => Promise.reject(new Error('unused')),
      }).collect(caller, 'tenant-a', { label: 'Well', id: '42000000000000' }, 'R-32'),
    ).rejects.toMatchObject({ status: 502, code: 'filing_entity_missing' });
  });
});

describe('createFlaringAssessor', () => {
  const reply = (status: number, body: unknown) => () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );

  it('posts to /flaring/assess for the tenant and reads the assessment', async () => {
    const urls: string[] = [];
    const assess = createFlaringAssessor({
      baseUrl: 'http://flaring',
      timeoutMs: 1000,
      fetch: (url) => {
        urls.push(url instanceof Request ? url.url : url.toString());
        return reply(200, { as_of: '2026-11-02', authorizations: [], unauthorized: [] })();
      },
    });
    expect(await assess(caller, { well_id: '42317300000000' })).toMatchObject({ as_of: '2026-11-02' });
    expect(urls).toEqual(['http://flaring/flaring/assess?tenant_id=tenant-a']);
  });

  it('keeps a 403 as it was and turns anything unexpected into a 502', async () => {
    const refused = createFlaringAssessor({
      baseUrl: 'http://f',
      timeoutMs: 1000,
      fetch: reply(403, { detail: 'no', code: 'forbidden' }),
    });
    await expect(refused(caller, {})).rejects.toMatchObject({ status: 403 });
    const broken = createFlaringAssessor({
      baseUrl: 'http://f',
      timeoutMs: 1000,
      fetch: reply(500, { detail: 'x' }),
    });
    await expect(broken(caller, {})).rejects.toMatchObject({ status: 502, code: 'flaring_monitor_error' });
  });
});
