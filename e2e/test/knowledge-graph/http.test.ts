import { useKgWithUsers } from './platform';

/** The knowledge-graph read endpoints through the gateway with real tokens from the auth service. The
 * service starts on an empty store, so tenant `default` holds the demo data (local mode). */
describe('knowledge-graph service through the gateway: reads, queries and tenancy', () => {
  const kg = useKgWithUsers();

  describe('auth and roles', () => {
    it('answers 401 without a token and 403 for a viewer that writes', async () => {
      const anon = await fetch(`${kg.platform.base}/api/v1/entities/Well`);
      expect(anon.status).toBe(401);
      const direct = await fetch(`${kg.platform.kgUrl}/entities/Well`);
      expect(direct.status).toBe(401);
      expect(await direct.json()).toMatchObject({ detail: 'Authorization header required' });
      const w = await kg.viewer.call('POST', '/api/v1/entities', {
        label: 'Operator',
        entity_id: 'x',
        properties: {},
      });
      expect(w.status).toBe(403);
      expect((await kg.viewer.call('POST', '/api/v1/seed')).status).toBe(403);
    });
  });

  describe('demo data and lists', () => {
    it('lists the demo wells loaded on first start, with both pagination styles', async () => {
      const page = await kg.viewer.call(
        'GET',
        '/api/v1/entities/Well?page=2&page_size=10&sort_by=entity_id&sort_dir=desc',
      );
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: 30, page: 2, page_size: 10 });
      expect(page.body.data).toHaveLength(10);
      expect(page.body.limit).toBeUndefined();
      const ids = page.body.data.map((e: { entity_id: string }) => e.entity_id);
      expect([...ids].sort().reverse()).toEqual(ids);
      const offset = await kg.viewer.call('GET', '/api/v1/entities/Well?limit=5&offset=25');
      expect(offset.body).toMatchObject({ total: 30, limit: 5, offset: 25, page: 6, page_size: 5 });
      expect(offset.body.data).toHaveLength(5);
    });

    it('filters on properties and refuses an unknown sort column with 422', async () => {
      const reeves = await kg.viewer.call('GET', '/api/v1/entities/Well?county=Reeves&page_size=100');
      expect(reeves.body.total).toBe(5);
      expect(
        reeves.body.data.every((w: { properties: { county: string } }) => w.properties.county === 'Reeves'),
      ).toBe(true);
      const bad = await kg.viewer.call('GET', '/api/v1/entities/Well?sort_by=properties');
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['query', 'sort_by']);
      expect((await kg.viewer.call('GET', '/api/v1/entities/Spaceship')).status).toBe(422);
    });

    it('reloads the demo data idempotently with POST /seed (admin), also for another anchor date', async () => {
      expect((await kg.admin.call('POST', '/api/v1/seed')).body).toMatchObject({
        created: 0,
        edges_created: 0,
      });
      const r = await kg.admin.call('POST', '/api/v1/seed', { anchor_date: '2025-06-01' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ tenant_id: 'default', created: 0, edges_created: 0 });
      expect(r.body.updated).toBeGreaterThan(100);
    });
  });

  describe('graph, impact and context', () => {
    it('returns the sub-graph around a well with nodes and edges, depth-limited', async () => {
      const g = await kg.viewer.call('GET', `/api/v1/graph/Well/${kg.wellId}?depth=2`);
      expect(g.status).toBe(200);
      expect(g.body.root).toEqual({ label: 'Well', entity_id: kg.wellId });
      expect(g.body.nodes[0]).toMatchObject({ label: 'Well', entity_id: kg.wellId, depth: 0 });
      const labels = new Set(g.body.nodes.map((n: { label: string }) => n.label));
      for (const l of ['Lease', 'Operator', 'Field', 'Permit']) expect(labels).toContain(l);
      expect(g.body.edges.length).toBeGreaterThan(0);
      const keys = new Set(
        g.body.nodes.map((n: { label: string; entity_id: string }) => `${n.label}/${n.entity_id}`),
      );
      for (const e of g.body.edges) {
        expect(keys.has(`${e.from_label}/${e.from_id}`) && keys.has(`${e.to_label}/${e.to_id}`)).toBe(true);
      }
      const one = await kg.viewer.call('GET', `/api/v1/graph/Well/${kg.wellId}?depth=1`);
      expect(one.body.nodes.every((n: { depth: number }) => n.depth <= 1)).toBe(true);
      expect(one.body.nodes.length).toBeLessThan(g.body.nodes.length);
      expect((await kg.viewer.call('GET', `/api/v1/graph/Well/${kg.wellId}?depth=6`)).status).toBe(422);
      expect((await kg.viewer.call('GET', '/api/v1/graph/Well/42000000000000')).status).toBe(404);
    });

    it('answers impact outward, inward, both ways and the infrastructure tree', async () => {
      const out = await kg.viewer.call('GET', `/api/v1/impact/outward/Well/${kg.wellId}?depth=1`);
      expect(out.body.nodes.map((n: { label: string }) => n.label)).toEqual(
        expect.arrayContaining(['Lease', 'Operator']),
      );
      expect(out.body.nodes.map((n: { label: string }) => n.label)).not.toContain('Permit');
      const inward = await kg.viewer.call('GET', `/api/v1/impact/inward/Well/${kg.wellId}?depth=1`);
      expect(inward.body.nodes.map((n: { label: string }) => n.label)).toContain('Permit');
      const both = await kg.viewer.call('GET', `/api/v1/impact/Operator/OP-123456`);
      expect(both.status).toBe(200);
      expect(
        both.body.inward.nodes.filter(
          (n: { label: string; depth: number }) => n.label === 'Well' && n.depth === 1,
        ),
      ).toHaveLength(10);
      const tree = await kg.viewer.call('GET', '/api/v1/impact/tree');
      expect(tree.status).toBe(200);
      const martin = tree.body.projects.find(
        (p: { entity_id: string }) => p.entity_id === 'IP-MARTIN-GATHERING',
      );
      expect(martin.rollup.wells).toBe(10);
      expect(martin.children[0]).toMatchObject({ label: 'Pipeline', entity_id: 'PL-MC-001' });
      expect((await kg.viewer.call('GET', '/api/v1/impact/tree?project_id=nope')).status).toBe(404);
    });

    it('assembles the context of a well by API number', async () => {
      const api = `${kg.wellId.slice(0, 2)}-${kg.wellId.slice(2, 5)}-${kg.wellId.slice(5, 10)}`;
      const c = await kg.viewer.call('GET', `/api/v1/context/assemble/${api}`);
      expect(c.status).toBe(200);
      expect(c.body.well.entity_id).toBe(kg.wellId);
      for (const k of ['lease', 'field', 'operator']) expect(c.body[k]).not.toBeNull();
      expect(c.body.permits.length).toBeGreaterThan(0);
      expect(c.body.regulations.length).toBeGreaterThan(0);
      expect(c.body.offset_wells.wells.length).toBeGreaterThan(0);
      expect((await kg.viewer.call('GET', '/api/v1/context/assemble/42-999-99999')).status).toBe(404);
    });
  });

  describe('POST /query', () => {
    it('runs a whitelisted template and refuses unknown templates and bad params with 422', async () => {
      const r = await kg.viewer.call('POST', '/api/v1/query', {
        template_id: 'wells_by_operator',
        params: { operator_id: 'OP-654321' },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ template_id: 'wells_by_operator', count: 10 });
      const unknown = await kg.viewer.call('POST', '/api/v1/query', {
        template_id: 'DROP TABLE',
        params: {},
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.detail[0].loc).toEqual(['body', 'template_id']);
      const bad = await kg.viewer.call('POST', '/api/v1/query', {
        template_id: 'offset_wells',
        params: { well_id: kg.wellId, radius_ft: -1 },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'params', 'radius_ft']);
      const list = await kg.viewer.call('GET', '/api/v1/query/templates');
      expect(list.body.total).toBeGreaterThanOrEqual(8);
    });
  });
  describe('tenant isolation', () => {
    it('shows another tenant’s entity as 404 and keeps lists and traversals apart', async () => {
      const theirs = await kg.acme.call('GET', `/api/v1/entities/Well/${kg.wellId}`);
      expect(theirs.status).toBe(404);
      expect(theirs.body.code).toBe('entity_not_found');
      expect((await kg.acme.call('GET', `/api/v1/graph/Well/${kg.wellId}`)).status).toBe(404);
      expect((await kg.acme.call('GET', `/api/v1/context/assemble/${kg.wellId}`)).status).toBe(404);
      expect((await kg.acme.call('GET', '/api/v1/entities/Well')).body.total).toBe(0);
      const q = await kg.acme.call('POST', '/api/v1/query', {
        template_id: 'wells_by_operator',
        params: { operator_id: 'OP-123456' },
      });
      expect(q.body.count).toBe(0);
      // The same natural key in another tenant is a different entity.
      const own = await kg.acme.call('POST', '/api/v1/entities', {
        label: 'Well',
        entity_id: kg.wellId,
        properties: { name: 'acme well' },
      });
      expect(own.status).toBe(201);
      expect(
        (await kg.viewer.call('GET', `/api/v1/entities/Well/${kg.wellId}`)).body.properties.name,
      ).not.toBe('acme well');
      // Naming another tenant: a 403 for a tenant admin, allowed for the platform admin.
      expect((await kg.acme.call('GET', '/api/v1/entities/Well?tenant_id=default')).status).toBe(403);
      const viaPlatform = await kg.admin.call('GET', `/api/v1/entities/Well/${kg.wellId}?tenant_id=acme`);
      expect(viaPlatform.body.properties.name).toBe('acme well');
    });
  });
  it('serves its OpenAPI document, also through the gateway', async () => {
    const direct = await fetch(`${kg.platform.kgUrl}/openapi.json`);
    expect(((await direct.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const doc = await kg.viewer.call('GET', '/api/v1/graph/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/graph/{label}/{entity_id}',
        '/query',
        '/context/assemble/{well_api}',
        '/entities/bulk',
      ]),
    );
  });
});
