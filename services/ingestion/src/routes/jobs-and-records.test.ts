import { multipartForm, startTestIngestion, type TestIngestion } from '@aegis/testing/ingestion';

describe('jobs, rrc-scrape, extract and scada endpoints', () => {
  let svc: TestIngestion;
  let operator: string;

  beforeEach(async () => {
    svc = await startTestIngestion();
    operator = await svc.token(['operator']);
  });

  afterEach(async () => {
    await svc.close();
  });

  const call = (path: string, token: string, body?: unknown) =>
    fetch(`${svc.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  describe('POST /ingest/rrc-scrape', () => {
    it('loads the four bundled data sets in order, one job each, and re-loads them without duplicates', async () => {
      const res = await call('/ingest/rrc-scrape', operator, {});
      expect(res.status).toBe(201);
      const { jobs } = (await res.json()) as { jobs: Record<string, unknown>[] };
      expect(jobs.map((j) => [j.data_type, j.status, j.source])).toEqual([
        ['wells', 'succeeded', 'rrc-sample:wells.csv'],
        ['permits', 'succeeded', 'rrc-sample:permits.csv'],
        ['production', 'succeeded', 'rrc-sample:production.csv'],
        ['flaring', 'succeeded', 'rrc-sample:flaring.csv'],
      ]);
      expect(svc.kg.entities('default', 'Well')).toHaveLength(240);
      expect(svc.kg.entities('default', 'Permit')).toHaveLength(jobs[1].accepted_rows as number);
      const again = (await (
        await call('/ingest/rrc-scrape', operator, { data_types: ['wells'] })
      ).json()) as { jobs: Record<string, unknown>[] };
      expect(again.jobs).toEqual([expect.objectContaining({ data_type: 'wells', created: 0 })]);
      expect(svc.kg.entities('default', 'Well')).toHaveLength(240);
    });

    it('validates its body', async () => {
      const res = await call('/ingest/rrc-scrape', operator, { data_types: ['pipelines'] });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ detail: [{ loc: ['body', 'data_types', 0] }] });
    });
  });

  describe('POST /extract', () => {
    it('stores records as entities and edges with one bulk request', async () => {
      const res = await call('/extract', operator, {
        data_type: 'flaring',
        records: [
          {
            'API No.': '42-329-12345',
            'Event Date': '2024-03-01 06:00',
            Volume: '1,250.5',
            Disposition: 'vented',
          },
        ],
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({
        kind: 'extract',
        data_type: 'flaring',
        status: 'succeeded',
        created: 1,
        edges_created: 1,
      });
      expect(svc.kg.entities('default', 'FlaringEvent')[0].properties).toMatchObject({
        volume_mcf: 1250.5,
        disposition_code: '11',
        start_time: '2024-03-01T06:00:00Z',
      });
      expect(svc.kg.imports()).toHaveLength(0);
    });

    it('answers 422 naming records[i] and stores nothing', async () => {
      const res = await call('/extract', operator, {
        data_type: 'wells',
        records: [{ api_number: '42-329-12345', well_name: 'A' }, { api_number: '42-329-12346' }],
      });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ detail: [{ loc: ['body', 'records', 1, 'well_name'] }] });
      expect(svc.kg.entities('default')).toHaveLength(0);
    });

    it('refuses a body that is not a list of objects', async () => {
      expect((await call('/extract', operator, { data_type: 'wells', records: ['x'] })).status).toBe(422);
      expect((await call('/extract', operator, { data_type: 'wells', records: [] })).status).toBe(422);
    });
  });

  describe('POST /ingest/scada', () => {
    it('turns readings into flare events of the flaring monitor, converting minutes to an end time', async () => {
      const well = await call('/extract', operator, {
        data_type: 'wells',
        records: [{ api_number: '4232912345', well_name: 'W 1H' }],
      });
      expect(well.status).toBe(201);
      const res = await call('/ingest/scada', operator, {
        readings: [
          {
            api_number: '4232912345',
            timestamp: '2024-06-01T06:00:00Z',
            volume_mcf: 90,
            duration_minutes: 45,
            reading_id: 'R-1',
          },
        ],
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({
        kind: 'scada',
        data_type: 'flaring',
        accepted_rows: 1,
        created: 1,
      });
      expect(svc.flaring.events('default')).toEqual([
        expect.objectContaining({
          well_id: '42329123450000',
          start_time: '2024-06-01T06:00:00Z',
          end_time: '2024-06-01T06:45:00Z',
          volume_mcf: 90,
          disposition: '10',
          source: 'scada',
          source_reading_id: 'R-1',
        }),
      ]);
      expect(svc.kg.entities('default', 'FlaringEvent')).toEqual([]);
    });

    it('names the reading that is wrong', async () => {
      const res = await call('/ingest/scada', operator, {
        readings: [{ api_number: '4232912345', timestamp: 'now', volume_mcf: 1 }],
      });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ detail: [{ loc: ['body', 'readings', 0, 'start_time'] }] });
    });
  });

  describe('GET /ingest/jobs', () => {
    it('lists the tenant’s jobs newest first with §6 paging and filters, and hides other tenants', async () => {
      const upload = (content: string) =>
        fetch(`${svc.url}/ingest/operator/csv`, {
          method: 'POST',
          headers: { authorization: `Bearer ${operator}` },
          body: multipartForm({ data_type: 'wells' }, { content }),
        });
      const ok = (await (await upload('API,Name\n4232912345,A\n')).json()) as { job_id: string };
      const bad = (await (await upload('API,Name\nx,A\n')).json()) as { job: { job_id: string } };
      const viewer = await svc.token(['viewer']);
      const list = (await (await call('/ingest/jobs?page_size=1', viewer)).json()) as Record<string, unknown>;
      expect(list).toMatchObject({ total: 2, page: 1, page_size: 1, data: [{ job_id: bad.job.job_id }] });
      expect((list.data as Record<string, unknown>[])[0]).not.toHaveProperty('errors');
      const failed = (await (
        await call('/ingest/jobs?status=failed&limit=10&offset=0', viewer)
      ).json()) as Record<string, unknown>;
      expect(failed).toMatchObject({ total: 1, limit: 10, offset: 0 });
      const one = await call(`/ingest/jobs/${bad.job.job_id}`, viewer);
      expect(await one.json()).toMatchObject({ status: 'failed', errors: [{ row: 2, field: 'api_number' }] });
      const other = await svc.token(['admin'], 'acme');
      expect((await call(`/ingest/jobs/${ok.job_id}`, other)).status).toBe(404);
      expect(await (await call('/ingest/jobs', other)).json()).toMatchObject({ total: 0, data: [] });
      expect((await call('/ingest/jobs?sort_by=tenant_id', viewer)).status).toBe(422);
      expect((await call('/ingest/jobs?from=yesterday', viewer)).status).toBe(422);
      for (const q of ['from=0', 'from=0000-01-01', 'from=2026-02-30', 'to=2026-03-01T10:00:00']) {
        const res = await call(`/ingest/jobs?${q}`, viewer);
        expect(res.status).toBe(422);
        expect(await res.json()).toMatchObject({ detail: [{ loc: ['query', q.split('=')[0]] }] });
      }
      const day = await call('/ingest/jobs?from=2020-02-29&to=2999-01-01T00:00:00%2B01:00', viewer);
      expect(await day.json()).toMatchObject({ total: 2 });
      expect((await call('/ingest/jobs', 'not-a-token')).status).toBe(401);
    });
  });

  it('serves its OpenAPI document', async () => {
    const res = await fetch(`${svc.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    // Generated from the routes, the document lists itself too.
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/openapi.json',
        '/extract',
        '/ingest/jobs',
        '/ingest/jobs/{id}',
        '/ingest/operator/csv',
        '/ingest/rrc-scrape',
        '/ingest/scada',
      ].sort(),
    );
  });
});
