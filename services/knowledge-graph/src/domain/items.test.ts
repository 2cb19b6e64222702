import { entityItemSchema, prepareEdge, prepareEntity } from './items';

describe('prepareEntity', () => {
  it('uses the normalised API number as the id of a Well without entity_id', () => {
    const r = prepareEntity(
      { label: 'Well', properties: { api_number: '42-301-12345', latitude: '31.9', longitude: -103.5 } },
      ['body'],
    );
    expect(r).toEqual({
      ok: true,
      value: {
        label: 'Well',
        entityId: '42301123450000',
        properties: { api_number: '42301123450000', latitude: 31.9, longitude: -103.5 },
        latitude: 31.9,
        longitude: -103.5,
      },
    });
  });

  it('keeps an explicit entity_id and normalises one that is an API number', () => {
    const explicit = prepareEntity(
      { label: 'Well', entity_id: 'w-1', properties: { api_number: '4230112345' } },
      [],
    );
    expect(explicit.ok && explicit.value.entityId).toBe('w-1');
    const api = prepareEntity({ label: 'Well', entity_id: '42-301-12345-01', properties: {} }, []);
    expect(api.ok && api.value.entityId).toBe('42301123450100');
  });

  it('names api_number when a Well has neither id nor a valid API number', () => {
    expect(prepareEntity({ label: 'Well', properties: {} }, ['body', 'entities', 2])).toMatchObject({
      ok: false,
      issues: [{ loc: ['body', 'entities', 2, 'properties', 'api_number'], type: 'missing' }],
    });
    expect(prepareEntity({ label: 'Well', properties: { api_number: '99-1' } }, [])).toMatchObject({
      ok: false,
      issues: [{ loc: ['properties', 'api_number'], type: 'value_error' }],
    });
  });

  it('requires entity_id for other labels unless a generator is given', () => {
    expect(prepareEntity({ label: 'Lease', properties: {} }, ['x'])).toMatchObject({
      ok: false,
      issues: [{ loc: ['x', 'entity_id'] }],
    });
    const generated = prepareEntity({ label: 'Lease', properties: {} }, [], { generateId: () => 'gen-1' });
    expect(generated.ok && generated.value.entityId).toBe('gen-1');
  });

  it('refuses out-of-range coordinates, naming the property', () => {
    expect(
      prepareEntity({ label: 'Facility', entity_id: 'f', properties: { latitude: 91 } }, []),
    ).toMatchObject({
      ok: false,
      issues: [{ loc: ['properties', 'latitude'] }],
    });
  });
});

describe('entity item schema', () => {
  it('refuses unknown labels, slashes in ids and unknown keys', () => {
    expect(entityItemSchema.safeParse({ label: 'Spaceship', properties: {} }).success).toBe(false);
    expect(entityItemSchema.safeParse({ label: 'Lease', entity_id: 'a/b' }).success).toBe(false);
    expect(entityItemSchema.safeParse({ label: 'Lease', entity_id: 'a', extra: 1 }).success).toBe(false);
  });
});

describe('prepareEdge', () => {
  it('normalises Well endpoints given as API numbers', () => {
    expect(
      prepareEdge({
        from_label: 'FlaringEvent',
        from_id: 'fe-1',
        rel_type: 'FLARED_AT',
        to_label: 'Well',
        to_id: '42-301-12345',
        properties: {},
      }),
    ).toMatchObject({ toId: '42301123450000', fromId: 'fe-1' });
  });
});
