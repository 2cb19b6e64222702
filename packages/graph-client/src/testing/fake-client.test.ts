import { createFakeGraphClient } from './fake-client';

const well = { label: 'Well' as const, entity_id: '42301123450000', properties: { status: 'active' } };
const lease = { label: 'Lease' as const, entity_id: 'LSE-08-41235', properties: {} };
const onLease = {
  from_label: 'Well' as const,
  from_id: well.entity_id,
  rel_type: 'ON_LEASE',
  to_label: 'Lease' as const,
  to_id: lease.entity_id,
};

describe('createFakeGraphClient', () => {
  it('keeps staged items invisible until the commit applies them, per tenant', async () => {
    const kg = createFakeGraphClient();
    const id = await kg.createImport('acme');
    await expect(kg.stage('acme', id, { entities: [well, lease], edges: [onLease] })).resolves.toEqual({
      ok: true,
    });
    expect(kg.entities('acme')).toEqual([]);
    await expect(kg.commit('acme', id)).resolves.toEqual({
      created: 2,
      updated: 0,
      edges_created: 1,
      edges_updated: 0,
    });
    expect(kg.entities('acme', 'Well')).toMatchObject([well]);
    expect(kg.edges('acme', 'ON_LEASE')).toHaveLength(1);
    await expect(kg.getEntity('acme', 'Well', well.entity_id)).resolves.toMatchObject(well);
    await expect(kg.getEntity('other', 'Well', well.entity_id)).resolves.toBeUndefined();
    await expect(kg.stage('other', id, { entities: [], edges: [] })).rejects.toMatchObject({ status: 404 });
  });

  it('rejects what the knowledge graph rejects, located like its 422', async () => {
    const kg = createFakeGraphClient();
    const bad = { entities: [well, { label: 'Spaceship', entity_id: 'a/b' }], edges: [] } as never;
    const r = await kg.bulk('acme', bad);
    expect(r).toMatchObject({
      rejected: expect.arrayContaining([expect.objectContaining({ loc: ['body', 'entities', 1, 'label'] })]),
    });
    expect(kg.entities('acme')).toEqual([]);
    await expect(kg.bulk('acme', { entities: [well], edges: [] })).resolves.toMatchObject({ created: 1 });
    await expect(kg.bulk('acme', { entities: [well], edges: [] })).resolves.toMatchObject({ updated: 1 });
  });

  it('discards an import and answers registered query templates', async () => {
    const kg = createFakeGraphClient();
    const id = await kg.createImport('acme');
    await kg.stage('acme', id, { entities: [well], edges: [] });
    await kg.discard('acme', id);
    await expect(kg.commit('acme', id)).rejects.toThrow(/discarded/);
    kg.templates.wells_by_operator = (params, tenant) => [{ tenant, ...params }];
    await expect(kg.query('acme', 'wells_by_operator', { operator_id: 'OP-1' })).resolves.toEqual([
      { tenant: 'acme', operator_id: 'OP-1' },
    ]);
    await expect(kg.query('acme', 'nope', {})).rejects.toMatchObject({ status: 404 });
  });
});
