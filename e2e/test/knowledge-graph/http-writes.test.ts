import { useKgWithUsers } from './platform';

/** The knowledge-graph write endpoints through the gateway (and imports directly, as ingestion calls
 * them) with real tokens from the auth service. */
describe('knowledge-graph service through the gateway: writes, managed types and imports', () => {
  const kg = useKgWithUsers();

  describe('entities, edges and managed types', () => {
    it('creates, reads by dashed API number, replaces, links and deletes entities', async () => {
      const created = await kg.admin.call('POST', '/api/v1/entities', {
        label: 'Well',
        properties: { api_number: '42-389-77777', status: 'permitted', latitude: 31.41, longitude: -103.61 },
      });
      expect(created.status).toBe(201);
      expect(created.body.entity_id).toBe('42389777770000');
      expect(
        (
          await kg.admin.call('POST', '/api/v1/entities', {
            label: 'Well',
            properties: { api_number: '4238977777' },
          })
        ).status,
      ).toBe(409);
      expect((await kg.viewer.call('GET', '/api/v1/entities/Well/42-389-77777')).body.properties.status).toBe(
        'permitted',
      );
      const put = await kg.admin.call('PUT', '/api/v1/entities/Well/42389777770000', {
        properties: { api_number: '42389777770000', status: 'drilling' },
      });
      expect(put.status).toBe(200);
      expect(put.body.properties).toEqual({ api_number: '42389777770000', status: 'drilling' });
      const edge = await kg.admin.call('POST', '/api/v1/edges', {
        from_label: 'Well',
        from_id: '42-389-77777',
        rel_type: 'OPERATED_BY',
        to_label: 'Operator',
        to_id: 'OP-654321',
      });
      expect(edge.status).toBe(201);
      expect(
        (
          await kg.admin.call('POST', '/api/v1/edges', {
            from_label: 'Well',
            from_id: '42-389-77777',
            rel_type: 'ON_LEASE',
            to_label: 'Lease',
            to_id: 'missing',
          })
        ).body.detail[0].loc,
      ).toEqual(['body', 'to_id']);
      const edges = await kg.viewer.call('GET', '/api/v1/edges/Well/42389777770000?direction=out');
      expect(edges.body).toMatchObject({
        total: 1,
        data: [{ edge_id: edge.body.edge_id, rel_type: 'OPERATED_BY' }],
      });
      const prod = await kg.admin.call('PUT', '/api/v1/entities/Well/42389777770000/production', {
        records: [{ period: '2025-04', oil_bbl: 1200, gas_mcf: 3400, flared_mcf: 50 }],
      });
      expect(prod.status).toBe(200);
      expect(prod.body.production).toEqual([
        { period: '2025-04', oil_bbl: 1200, gas_mcf: 3400, flared_mcf: 50 },
      ]);
      expect((await kg.admin.call('DELETE', `/api/v1/edges/${edge.body.edge_id}`)).status).toBe(204);
      expect((await kg.admin.call('DELETE', '/api/v1/entities/Well/42389777770000')).status).toBe(204);
      expect((await kg.viewer.call('GET', '/api/v1/entities/Well/42389777770000')).status).toBe(404);
    });

    it('bulk-upserts in one transaction and writes nothing when one item is invalid', async () => {
      const count = async () =>
        (await kg.viewer.call('GET', '/api/v1/entities/Facility?page_size=1')).body.total as number;
      const before = await count();
      const bad = await kg.admin.call('POST', '/api/v1/entities/bulk', {
        entities: [
          { label: 'Facility', entity_id: 'FAC-BULK-1', properties: { name: 'ok' } },
          { label: 'Facility', entity_id: 'FAC-BULK-2', properties: { latitude: 123 } },
        ],
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'entities', 1, 'properties', 'latitude']);
      expect(await count()).toBe(before);
      const good = await kg.admin.call('POST', '/api/v1/entities/bulk', {
        entities: [{ label: 'Facility', entity_id: 'FAC-BULK-1', properties: { name: 'ok' } }],
        edges: [
          {
            from_label: 'Facility',
            from_id: 'FAC-BULK-1',
            rel_type: 'CONNECTED_TO',
            to_label: 'Well',
            to_id: kg.wellId,
          },
        ],
      });
      expect(good.body).toEqual({ created: 1, updated: 0, edges_created: 1, edges_updated: 0 });
      expect(await count()).toBe(before + 1);
    });

    it('validates entities of a managed type and names the failing field', async () => {
      expect(
        (await kg.viewer.call('POST', '/api/v1/entity-types', { key: 'Equipment', fields: [] })).status,
      ).toBe(403);
      const t = await kg.admin.call('POST', '/api/v1/entity-types', {
        key: 'Equipment',
        display_name: 'Equipment',
        fields: [
          { name: 'serial_number', type: 'string', required: true, pattern: '^SN-\\d{4}$' },
          { name: 'kind', type: 'string', enum: ['compressor', 'flare_stack'] },
        ],
      });
      expect(t.status).toBe(201);
      const added = await kg.admin.call('POST', '/api/v1/entity-types/Equipment/fields', {
        name: 'rating_hp',
        type: 'number',
        min: 0,
        max: 5000,
      });
      expect(added.status).toBe(201);
      const missing = await kg.admin.call('POST', '/api/v1/entities', {
        label: 'Equipment',
        entity_id: 'EQ-1',
        properties: { kind: 'compressor' },
      });
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toEqual([
        { loc: ['body', 'properties', 'serial_number'], msg: 'field required', type: 'missing' },
      ]);
      const range = await kg.admin.call('POST', '/api/v1/entities', {
        label: 'Equipment',
        entity_id: 'EQ-1',
        properties: { serial_number: 'SN-0001', rating_hp: 9000 },
      });
      expect(range.body.detail[0].loc).toEqual(['body', 'properties', 'rating_hp']);
      const bulk = await kg.admin.call('POST', '/api/v1/entities/bulk', {
        entities: [{ label: 'Equipment', entity_id: 'EQ-2', properties: { serial_number: 'bad' } }],
      });
      expect(bulk.body.detail[0].loc).toEqual(['body', 'entities', 0, 'properties', 'serial_number']);
      const ok = await kg.admin.call('POST', '/api/v1/entities', {
        label: 'Equipment',
        entity_id: 'EQ-1',
        properties: { serial_number: 'SN-0001', kind: 'flare_stack', rating_hp: 1200 },
      });
      expect(ok.status).toBe(201);
      expect((await kg.viewer.call('GET', '/api/v1/entity-types')).body).toMatchObject({
        total: 1,
        data: [{ key: 'Equipment' }],
      });
      expect((await kg.viewer.call('GET', '/api/v1/entity-types/Equipment/fields')).body.total).toBe(3);
      expect(
        (
          await kg.admin.call('PATCH', '/api/v1/entity-types/Equipment', {
            description: 'Rotating equipment',
          })
        ).body.description,
      ).toBe('Rotating equipment');
      expect(
        (await kg.admin.call('DELETE', '/api/v1/entity-types/Equipment/fields/serial_number')).status,
      ).toBe(204);
      expect(
        (
          await kg.admin.call('POST', '/api/v1/entities', {
            label: 'Equipment',
            entity_id: 'EQ-3',
            properties: {},
          })
        ).status,
      ).toBe(201);
      expect((await kg.admin.call('DELETE', '/api/v1/entity-types/Equipment')).status).toBe(204);
      expect((await kg.viewer.call('GET', '/api/v1/entity-types/Equipment')).status).toBe(404);
    });
  });
  describe('imports (service to service, as ingestion calls them)', () => {
    it('stages batches invisibly and commits them atomically', async () => {
      const open = await kg.admin.call('POST', `${kg.platform.kgUrl}/imports`);
      expect(open.status).toBe(201);
      const id = open.body.import_id as string;
      const staged = await kg.admin.call('POST', `${kg.platform.kgUrl}/imports/${id}/items`, {
        entities: [{ label: 'Well', properties: { api_number: '42-461-88888-00', name: 'IMPORTED 1H' } }],
        edges: [
          {
            from_label: 'Well',
            from_id: '42-461-88888-00',
            rel_type: 'OPERATED_BY',
            to_label: 'Operator',
            to_id: 'OP-246810',
          },
        ],
      });
      expect(staged.body).toEqual({ staged: 2 });
      expect((await kg.viewer.call('GET', '/api/v1/entities/Well/42461888880000')).status).toBe(404);
      expect((await kg.acme.call('POST', `${kg.platform.kgUrl}/imports/${id}/commit`)).status).toBe(404);
      const commit = await kg.admin.call('POST', `${kg.platform.kgUrl}/imports/${id}/commit`);
      expect(commit.body).toEqual({ created: 1, updated: 0, edges_created: 1, edges_updated: 0 });
      expect((await kg.viewer.call('GET', '/api/v1/entities/Well/42461888880000')).status).toBe(200);
      expect((await kg.admin.call('POST', `${kg.platform.kgUrl}/imports/${id}/commit`)).status).toBe(409);
    });
  });
});
