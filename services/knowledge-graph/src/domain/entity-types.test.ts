import {
  entityTypeCreateSchema,
  fieldDefinitionSchema,
  validateProperties,
  type FieldDefinition,
} from './entity-types';

const fields: FieldDefinition[] = [
  { name: 'status', type: 'string', required: true, enum: ['active', 'shut_in'] },
  { name: 'depth_ft', type: 'integer', required: false, min: 0, max: 30000 },
  { name: 'lease_number', type: 'string', required: false, pattern: '^\\d{5}$' },
  { name: 'spud_date', type: 'date', required: false, min: '1900-01-01' },
  { name: 'horizontal', type: 'boolean', required: false },
  { name: 'name', type: 'string', required: false, min: 2, max: 10 },
];

describe('validateProperties', () => {
  it('accepts properties that satisfy every definition and ignores unknown properties', () => {
    expect(
      validateProperties(fields, { status: 'active', depth_ft: 9500, lease_number: '12345', other: 1 }, [
        'body',
        'properties',
      ]),
    ).toEqual([]);
  });

  it('names the missing required field', () => {
    expect(validateProperties(fields, {}, ['body', 'properties'])).toEqual([
      { loc: ['body', 'properties', 'status'], msg: 'field required', type: 'missing' },
    ]);
  });

  it('reports type, enum, pattern and range violations per field', () => {
    const issues = validateProperties(
      fields,
      {
        status: 'drilling',
        depth_ft: 12.5,
        lease_number: '12a45',
        spud_date: '1899-12-31',
        horizontal: 'yes',
        name: 'x',
      },
      ['body', 'entities', 3, 'properties'],
    );
    expect(issues.map((i) => [i.loc.at(-1), i.type])).toEqual([
      ['status', 'enum'],
      ['depth_ft', 'type_error'],
      ['lease_number', 'pattern'],
      ['spud_date', 'range'],
      ['horizontal', 'type_error'],
      ['name', 'range'],
    ]);
    expect(issues[0].loc).toEqual(['body', 'entities', 3, 'properties', 'status']);
  });

  it('checks numeric ranges inclusively', () => {
    expect(validateProperties(fields, { status: 'active', depth_ft: 30000 }, [])).toEqual([]);
    expect(validateProperties(fields, { status: 'active', depth_ft: 30001 }, [])).toHaveLength(1);
  });

  it('refuses a malformed date', () => {
    expect(validateProperties(fields, { status: 'active', spud_date: '2021-13-45' }, [])[0]?.msg).toMatch(
      /date/,
    );
  });

  it('refuses dates and date-times that do not exist on the calendar (the platform date rule)', () => {
    const typed: FieldDefinition[] = [
      { name: 'due', type: 'date', required: false },
      { name: 'at', type: 'datetime', required: false },
    ];
    for (const due of ['2026-02-30', '0000-00-00', '9999-99-99'])
      expect(validateProperties(typed, { due }, ['p'])).toEqual([
        { loc: ['p', 'due'], msg: expect.stringMatching(/YYYY-MM-DD that exists/), type: 'type_error' },
      ]);
    for (const at of ['2026-02-30T10:00:00Z', '2026-03-01T10:00:00', '2026-03-01T25:00:00Z'])
      expect(validateProperties(typed, { at }, ['p'])[0]?.loc).toEqual(['p', 'at']);
    expect(validateProperties(typed, { due: '2024-02-29', at: '2026-03-01T10:00:00+02:00' }, ['p'])).toEqual(
      [],
    );
  });
});

describe('field definition schema', () => {
  it('refuses a date bound that is not a calendar date', () => {
    expect(fieldDefinitionSchema.safeParse({ name: 'a', type: 'date', min: '2026-13-01' }).success).toBe(
      false,
    );
    expect(fieldDefinitionSchema.safeParse({ name: 'a', type: 'date', min: '2026-12-01' }).success).toBe(
      true,
    );
  });

  it('refuses an invalid regular expression and a pattern on a number', () => {
    expect(fieldDefinitionSchema.safeParse({ name: 'a', type: 'string', pattern: '(' }).success).toBe(false);
    expect(fieldDefinitionSchema.safeParse({ name: 'a', type: 'number', pattern: 'x' }).success).toBe(false);
  });

  it('refuses a type key that is not a label and duplicate field names', () => {
    expect(entityTypeCreateSchema.safeParse({ key: 'Spaceship' }).success).toBe(false);
    expect(
      entityTypeCreateSchema.safeParse({
        key: 'Well',
        fields: [
          { name: 'a', type: 'string' },
          { name: 'a', type: 'number' },
        ],
      }).success,
    ).toBe(false);
  });
});
