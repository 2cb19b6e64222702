import { mapHeaders } from './headers';
import { compileRowValidator } from './validate';
import type { DataType } from './datatypes';

const validator = (dataType: DataType, headers: string[]) =>
  compileRowValidator(dataType, mapHeaders(dataType, headers));

describe('compileRowValidator', () => {
  describe('wells', () => {
    const v = validator('wells', [
      'API No.',
      'Well Name',
      'Lease Name',
      'Well No.',
      'Status',
      'Lat',
      'Long',
      'Spud Date',
      'Completion Date',
      'Pad',
    ]);

    it('normalises every field and keeps extra columns', () => {
      expect(
        v([
          '42-329-12345',
          ' Glass  44 1H ',
          '',
          '',
          'Shut-In',
          '31.9',
          '-102.1',
          '04/29/2018',
          '2018-06-14',
          'Pad A',
        ]),
      ).toEqual({
        ok: true,
        record: {
          fields: {
            api_number: '42329123450000',
            well_name: 'Glass 44 1H',
            status: 'shut_in',
            latitude: 31.9,
            longitude: -102.1,
            spud_date: '2018-04-29',
            completion_date: '2018-06-14',
          },
          extras: { pad: 'Pad A' },
        },
      });
    });

    it('accepts lease name and well number instead of a well name', () => {
      expect(v(['4232912345', '', 'GLASS 44', '1H', '', '', '', '', '', ''])).toMatchObject({ ok: true });
    });

    it('reports every bad field of a row with its value', () => {
      const r = v(['42-329-1234', 'W', '', '', 'dancing', '95', '-102.1', '2021-02-30', '', '']);
      expect(r).toEqual({
        ok: false,
        issues: [
          { field: 'api_number', reason: expect.stringMatching(/digits/), value: '42-329-1234' },
          { field: 'status', reason: expect.stringMatching(/^must be one of: permitted/), value: 'dancing' },
          { field: 'latitude', reason: expect.stringMatching(/within Texas/), value: '95' },
          { field: 'spud_date', reason: 'is not a calendar date', value: '2021-02-30' },
        ],
      });
    });

    it('applies the rules that involve several fields', () => {
      expect(v(['4232912345', '', '', '', '', '', '', '', '', ''])).toEqual({
        ok: false,
        issues: [{ field: 'well_name', reason: 'field required (or both lease_name and well_number)' }],
      });
      expect(v(['4232912345', 'W', '', '', '', '31.9', '', '', '', ''])).toMatchObject({
        ok: false,
        issues: [{ field: 'longitude', reason: 'latitude and longitude must be given together' }],
      });
      expect(v(['4232912345', 'W', '', '', '', '', '', '2020-01-02', '2020-01-01', ''])).toMatchObject({
        ok: false,
        issues: [{ field: 'completion_date', reason: expect.stringMatching(/must not be before spud_date/) }],
      });
    });

    it('answers "field required" for a required column left empty', () => {
      expect(v(['  ', 'W', '', '', '', '', '', '', '', ''])).toEqual({
        ok: false,
        issues: [{ field: 'api_number', reason: 'field required' }],
      });
    });
  });

  it('defaults the permit type and checks permit dates in order', () => {
    const v = validator('permits', ['Permit No.', 'API', 'Approved Date', 'Expiration Date']);
    expect(v(['853214', '4232912345', '2021-01-01', '2023-01-01'])).toMatchObject({
      ok: true,
      record: { fields: { permit_number: '853214', permit_type: 'W-1', approved_date: '2021-01-01' } },
    });
    expect(v(['853214', '4232912345', '2021-01-01', '2020-01-01'])).toMatchObject({
      ok: false,
      issues: [{ field: 'expiration_date' }],
    });
  });

  it('requires at least one volume on a production row', () => {
    const v = validator('production', ['API', 'Cycle', 'Oil (BBL)', 'Gas Flared (MCF)']);
    expect(v(['4232912345', '202401', '0', ''])).toMatchObject({
      ok: true,
      record: { fields: { period: '2024-01', oil_bbl: 0 } },
    });
    expect(v(['4232912345', '202401', '', ''])).toMatchObject({ ok: false, issues: [{ field: 'row' }] });
    expect(v(['4232912345', '202401', '-5', ''])).toMatchObject({
      ok: false,
      issues: [{ field: 'oil_bbl', reason: 'must be at least 0' }],
    });
  });

  it('derives the Rule 32 disposition code, event date and duration of a flaring event', () => {
    const v = validator('flaring', ['API', 'Start', 'End', 'Volume (MCF)', 'Disposition']);
    expect(v(['4232912345', '2024-03-01 06:00', '2024-03-01T07:30:00Z', '120.5', ''])).toEqual({
      ok: true,
      record: {
        fields: {
          api_number: '42329123450000',
          start_time: '2024-03-01T06:00:00Z',
          end_time: '2024-03-01T07:30:00Z',
          volume_mcf: 120.5,
          disposition_code: '10',
          event_date: '2024-03-01',
          duration_hours: 1.5,
        },
        extras: {},
      },
    });
    expect(v(['4232912345', '2024-03-01', '', '5', 'Vented'])).toMatchObject({
      ok: true,
      record: { fields: { disposition_code: '11' } },
    });
    expect(v(['4232912345', '2024-03-02', '2024-03-01', '5', ''])).toMatchObject({
      ok: false,
      issues: [{ field: 'end_time' }],
    });
  });

  it('gives the same answer for a cell however often its value repeats in the column', () => {
    const v = validator('wells', ['API No.', 'Well Name', 'Status', 'Spud Date', 'District']);
    const row = (i: number) => [
      `42-329-${String(10_000 + i).padStart(5, '0')}`,
      `W ${i}`,
      i % 3 === 0 ? 'dancing' : 'Shut-In',
      i % 2 === 0 ? '2021-02-30' : '04/29/2018',
      i % 5 === 0 ? '99' : '08',
    ];
    // Past the memo's probe (8192 cells), with columns that repeat and columns that never do.
    const first = Array.from({ length: 20 }, (_, i) => v(row(i)));
    for (let i = 20; i < 10_000; i += 1) v(row(i));
    const again = Array.from({ length: 20 }, (_, i) => v(row(i)));
    expect(again).toEqual(first);
    expect(first[0]).toEqual({
      ok: false,
      issues: [
        { field: 'status', reason: expect.stringMatching(/^must be one of:/), value: 'dancing' },
        { field: 'spud_date', reason: 'is not a calendar date', value: '2021-02-30' },
        { field: 'district', reason: expect.any(String), value: '99' },
      ],
    });
    expect(first[1]).toMatchObject({ ok: true, record: { fields: { status: 'shut_in', district: '08' } } });
  });

  it('takes only the listed status words, not names every object has', () => {
    const v = validator('wells', ['API No.', 'Well Name', 'Status']);
    for (const word of ['constructor', '__proto__', 'toString'])
      expect(v(['4232912345', 'W', word])).toMatchObject({ ok: false, issues: [{ field: 'status' }] });
  });
});
