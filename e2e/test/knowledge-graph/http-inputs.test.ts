import { useKgWithUsers } from './platform';

/** Through the gateway: text that is not Unicode, dates that do not exist
 * and ids that could never be read back are refused with 4xx naming the field, and nothing is stored. */
describe('knowledge-graph service through the gateway: text, dates and ids in requests', () => {
  const kg = useKgWithUsers();
  const LABEL = 'Pipeline';
  const stored = async () =>
    (await kg.viewer.call('GET', `/api/v1/entities/${LABEL}?page_size=100`)).body.data.map(
      (e: { entity_id: string }) => e.entity_id,
    ) as string[];
  const errorShape = (code: string) => ({ code, request_id: expect.any(String) });
  /** POST /edges from the demo well to `to_id` answers 422 naming `to_id`. */
  const expectEdgeToRefused = async (to_id: string) => {
    const edge = await kg.admin.call('POST', '/api/v1/edges', {
      from_label: 'Well',
      from_id: kg.wellId,
      rel_type: 'CONNECTED_TO',
      to_label: LABEL,
      to_id,
    });
    expect(edge.status).toBe(422);
    expect(edge.body).toMatchObject({ code: 'validation_error', detail: [{ loc: ['body', 'to_id'] }] });
  };

  describe('text that is not well-formed Unicode', () => {
    it('refuses a lone surrogate in POST /entities, /entities/bulk, PUT and /edges with 422 naming the field', async () => {
      const before = await stored();
      const single = await kg.admin.call('POST', '/api/v1/entities', {
        label: LABEL,
        entity_id: 'lone2\ud800',
      });
      expect(single.status).toBe(422);
      expect(single.body).toMatchObject({
        ...errorShape('validation_error'),
        detail: [{ loc: ['body', 'entity_id'], type: 'invalid_text' }],
      });
      const bulk = await kg.admin.call('POST', '/api/v1/entities/bulk', {
        entities: [
          { label: LABEL, entity_id: 'PL-OK' },
          { label: LABEL, entity_id: 'PL-BAD', properties: { name: 'x\udc00' } },
        ],
      });
      expect(bulk.status).toBe(422);
      expect(bulk.body.detail).toEqual([
        expect.objectContaining({ loc: ['body', 'entities', 1, 'properties', 'name'], type: 'invalid_text' }),
      ]);
      const put = await kg.admin.call('PUT', `/api/v1/entities/${LABEL}/PL-PUT`, {
        properties: { ['key\ud83d']: 1 },
      });
      expect(put.status).toBe(422);
      expect(put.body.detail[0].loc).toEqual(['body', 'properties', 'key\ud83d']);
      await expectEdgeToRefused('\ud800');
      expect(await stored()).toEqual(before);
    });

    it('refuses body bytes that are not UTF-8 with 400 naming the offset, storing nothing', async () => {
      const before = await stored();
      const body = Buffer.concat([
        Buffer.from(`{"label":"${LABEL}","entity_id":"raw`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]);
      const res = await fetch(`${kg.platform.base}/api/v1/entities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${kg.admin.token}`, 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        ...errorShape('invalid_encoding'),
        detail: expect.stringContaining(`offset ${body.indexOf(0xff)}`),
      });
      expect(await stored()).toEqual(before);
    });

    it('refuses a query value that does not percent-decode to UTF-8, naming the parameter', async () => {
      for (const value of ['%FF', '%ED%A0%80']) {
        const res = await kg.viewer.call('GET', `/api/v1/entities/${LABEL}?sort_by=${value}`);
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({
          ...errorShape('validation_error'),
          detail: [{ loc: ['query', 'sort_by'], type: 'invalid_encoding' }],
        });
      }
    });
  });

  describe('dates that do not exist', () => {
    it('answers POST /query with 422 naming the parameter for impossible dates', async () => {
      for (const template_id of ['authorizations_expiring', 'deadlines_due_within'])
        for (const as_of of ['2026-13-45', '0000-00-00', '9999-99-99', '2026-02-30', '0000-01-01']) {
          const res = await kg.viewer.call('POST', '/api/v1/query', {
            template_id,
            params: { days: 5, as_of },
          });
          expect(res.status).toBe(422);
          expect(res.body).toMatchObject({
            ...errorShape('validation_error'),
            detail: [{ loc: ['body', 'params', 'as_of'], msg: expect.stringMatching(/YYYY-MM-DD/) }],
          });
        }
      const ok = await kg.viewer.call('POST', '/api/v1/query', {
        template_id: 'deadlines_due_within',
        params: { days: 5, as_of: '2024-02-29' },
      });
      expect(ok.status).toBe(200);
      const context = await kg.viewer.call('GET', `/api/v1/context/assemble/${kg.wellId}?as_of=2026-02-30`);
      expect(context.status).toBe(422);
      expect(context.body.detail[0].loc).toEqual(['query', 'as_of']);
    });
  });

  describe('ids that could not be read back', () => {
    it('refuses ., .., a\\b, a/b and edge whitespace with 422 naming entity_id, storing nothing', async () => {
      const before = await stored();
      for (const entity_id of ['.', '..', 'a\\b', 'a/b', ' lead', 'trail ', 'tab\there', 'x'.repeat(201)]) {
        const res = await kg.admin.call('POST', '/api/v1/entities', { label: LABEL, entity_id });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({
          ...errorShape('validation_error'),
          detail: [{ loc: ['body', 'entity_id'] }],
        });
      }
      const bulk = await kg.admin.call('POST', '/api/v1/entities/bulk', {
        entities: [
          { label: LABEL, entity_id: 'PL-FINE' },
          { label: LABEL, entity_id: '..' },
        ],
      });
      expect(bulk.status).toBe(422);
      expect(bulk.body.detail[0].loc).toEqual(['body', 'entities', 1, 'entity_id']);
      await expectEdgeToRefused('a\\b');
      expect(await stored()).toEqual(before);
    });

    it('keeps ids with inner spaces and any script reachable: create, read, replace, delete', async () => {
      const id = 'Línea Ñandú 油井 \u{1F6E2} No. 7';
      const path = `/api/v1/entities/${LABEL}/${encodeURIComponent(id)}`;
      const created = await kg.admin.call('POST', '/api/v1/entities', {
        label: LABEL,
        entity_id: id,
        properties: { name: 'Ñandú' },
      });
      expect(created.status).toBe(201);
      expect(created.body.entity_id).toBe(id);
      expect((await kg.viewer.call('GET', path)).body).toMatchObject({
        entity_id: id,
        properties: { name: 'Ñandú' },
      });
      expect(await stored()).toContain(id);
      const put = await kg.admin.call('PUT', path, { properties: { name: 'renamed' } });
      expect(put.status).toBe(200);
      expect(put.body.properties).toEqual({ name: 'renamed' });
      expect((await kg.admin.call('DELETE', path)).status).toBe(204);
      expect((await kg.viewer.call('GET', path)).status).toBe(404);
    });
  });
});
