import { toGraphItems } from './graph-items';

describe('toGraphItems', () => {
  it('makes a well with its operator, lease and field, keyed like the graph demo data', () => {
    const items = toGraphItems('wells', {
      fields: {
        api_number: '42329123450000',
        lease_name: 'GLASS 44',
        well_number: '1H',
        operator_name: 'Caprock Energy Partners, LP',
        operator_number: '130872',
        lease_number: '56887',
        district: '08',
        field_name: 'SPRABERRY (TREND AREA)',
        total_depth: 10405,
      },
      extras: { pad: 'A', name: 'ignored: the canonical name wins' },
    });
    expect(items.entities).toEqual([
      {
        label: 'Well',
        entity_id: '42329123450000',
        properties: expect.objectContaining({
          api_number: '42329123450000',
          name: 'GLASS 44 1H',
          total_depth_ft: 10405,
          pad: 'A',
        }),
      },
    ]);
    expect(items.related).toEqual([
      {
        label: 'Operator',
        entity_id: 'OP-130872',
        properties: { name: 'Caprock Energy Partners, LP', operator_number: '130872' },
      },
      {
        label: 'Lease',
        entity_id: 'LSE-08-56887',
        properties: { name: 'GLASS 44', lease_number: '56887', district: '08' },
      },
      {
        label: 'Field',
        entity_id: 'FLD-spraberry-trend-area',
        properties: { name: 'SPRABERRY (TREND AREA)' },
      },
    ]);
    expect(items.edges.map((e) => `${e.from_id} ${e.rel_type} ${e.to_id}`)).toEqual([
      '42329123450000 OPERATED_BY OP-130872',
      '42329123450000 ON_LEASE LSE-08-56887',
      '42329123450000 IN_FIELD FLD-spraberry-trend-area',
    ]);
  });

  it('links entities the import already stored without sending them again', () => {
    const record = {
      fields: {
        api_number: '42329123450000',
        well_name: 'W',
        operator_number: '130872',
        lease_number: '56887',
        district: '08',
        field_number: '85279300',
      },
      extras: {},
    };
    const all = toGraphItems('wells', record);
    const stored = (label: string, id: string) => label === 'Lease' && id === 'LSE-08-56887';
    const items = toGraphItems('wells', record, stored);
    expect(items.related.map((e) => e.entity_id)).toEqual(['OP-130872', 'FLD-85279300']);
    expect(items.related).toEqual(all.related.filter((e) => e.label !== 'Lease'));
    expect(items.edges).toEqual(all.edges);
    expect(items.entities).toEqual(all.entities);
  });

  it('keys permits, production reports and flaring events naturally, each pointing at its well', () => {
    const api = '42329123450000';
    expect(
      toGraphItems('permits', { fields: { permit_number: '853214', api_number: api }, extras: {} }),
    ).toMatchObject({
      entities: [{ label: 'Permit', entity_id: 'W1-853214' }],
      edges: [{ from_label: 'Permit', rel_type: 'AUTHORIZES', to_label: 'Well', to_id: api }],
    });
    expect(
      toGraphItems('production', { fields: { period: '2024-01', api_number: api, oil_bbl: 5 }, extras: {} }),
    ).toEqual({
      entities: [],
      related: [],
      edges: [],
      production: { wellId: api, record: { period: '2024-01', oil_bbl: 5 } },
    });
    const flare = {
      fields: { api_number: api, start_time: '2024-03-01T06:00:00Z', volume_mcf: 5 },
      extras: {},
    };
    expect(toGraphItems('flaring', flare)).toMatchObject({
      entities: [{ label: 'FlaringEvent', entity_id: `FE-${api}-2024-03-01T06:00:00Z` }],
      edges: [{ rel_type: 'FLARED_AT', to_id: api }],
    });
    expect(
      toGraphItems('flaring', { ...flare, fields: { ...flare.fields, event_id: 'SCADA-7' } }).entities[0]
        .entity_id,
    ).toBe('SCADA-7');
  });

  it('gives the same items for the same record (re-uploads upsert, never duplicate)', () => {
    const record = {
      fields: { api_number: '42329123450000', well_name: 'W', operator_name: 'Op' },
      extras: {},
    };
    expect(toGraphItems('wells', record)).toEqual(toGraphItems('wells', structuredClone(record)));
  });

  it('writes a production row as the well’s monthly record: gas and casinghead gas add up, other columns stay out', () => {
    const record = {
      fields: {
        api_number: '42329123450000',
        period: '2024-02',
        oil_bbl: 100,
        gas_mcf: 20,
        casinghead_gas_mcf: 30,
        flared_mcf: 4,
        vented_mcf: 1,
        days_produced: 29,
        allowable_bbl: 9000,
        operator_name: 'Op',
        lease_number: '41235',
      },
      extras: { comment: 'x' },
    };
    expect(toGraphItems('production', record).production).toEqual({
      wellId: '42329123450000',
      record: {
        period: '2024-02',
        oil_bbl: 100,
        gas_mcf: 50,
        flared_mcf: 4,
        vented_mcf: 1,
        days_produced: 29,
        allowable_bbl: 9000,
      },
    });
  });
});
