import { multipartForm, startTestIngestion, type TestIngestion } from '@aegis/testing/ingestion';

const A = '42329300010000';
const B = '42329300020000';
const UNKNOWN = '42329399990000';
const PRODUCTION_HEADER = 'API No.,Month,Oil (BBL),Gas (MCF),Gas Flared (MCF),Allowable\n';

interface Job {
  status: string;
  accepted_rows: number;
  rejected_rows: number;
  created: number;
  updated: number;
  failure: { code: string; detail: string } | null;
  errors: { row: number; field: string; reason: string }[];
}

describe('production rows and SCADA readings', () => {
  let svc: TestIngestion;
  let token: string;

  beforeEach(async () => {
    svc = await startTestIngestion();
    token = await svc.token(['operator']);
    const wells = await post('/extract', {
      data_type: 'wells',
      records: [
        { api_number: A, well_name: 'A 1H' },
        { api_number: B, well_name: 'B 1H' },
      ],
    });
    expect(wells.status).toBe(201);
  });

  afterEach(async () => {
    await svc.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const upload = (csv: string, mode = 'all_or_nothing') =>
    fetch(`${svc.url}/ingest/operator/csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: multipartForm({ data_type: 'production', mode }, { content: csv, filename: 'pr.csv' }),
    });
  const production = (api: string) =>
    svc.kg.entities('default', 'Well').find((w) => w.entity_id === api)?.properties?.production;

  describe('POST /ingest/operator/csv with data_type=production', () => {
    it('writes each well’s months to its production, merged by period, and stores no WellEvent', async () => {
      const first = await upload(`${PRODUCTION_HEADER}${A},2024-01,100,150,10,9300\n${A},2024-02,90,140,,\n`);
      expect(first.status).toBe(201);
      const again = await upload(`${PRODUCTION_HEADER}${A},02/2024,80,130,,\n${B},2024-02,5,6,,\n`);
      expect(again.status).toBe(201);
      expect(await again.json()).toMatchObject({
        status: 'succeeded',
        accepted_rows: 2,
        created: 0,
        updated: 2,
      });
      expect(production(A)).toEqual([
        { period: '2024-01', oil_bbl: 100, gas_mcf: 150, flared_mcf: 10, allowable_bbl: 9300 },
        { period: '2024-02', oil_bbl: 80, gas_mcf: 130 },
      ]);
      expect(production(B)).toEqual([{ period: '2024-02', oil_bbl: 5, gas_mcf: 6 }]);
      expect(svc.kg.entities('default', 'WellEvent')).toEqual([]);
    });

    it('answers 422 naming the row of an unknown well and writes nothing (all_or_nothing)', async () => {
      const res = await upload(`${PRODUCTION_HEADER}${A},2024-01,1,1,,\n${UNKNOWN},2024-01,1,1,,\n`);
      expect(res.status).toBe(422);
      const body = (await res.json()) as { code: string; request_id: string; detail: unknown[]; job: Job };
      expect(body).toMatchObject({ code: 'rows_rejected', request_id: expect.any(String) });
      expect(body.detail).toEqual([
        {
          loc: ['file', 'row', 3, 'api_number'],
          msg: 'rejected by the knowledge graph: no such well in the knowledge graph',
          type: 'row_rejected',
        },
      ]);
      expect(body.job).toMatchObject({ status: 'failed', accepted_rows: 0, rejected_rows: 1 });
      expect(production(A)).toBeUndefined();
      expect(svc.kg.productionRequests).toBe(0);
    });

    it('writes the known wells with mode=partial', async () => {
      const res = await upload(
        `${PRODUCTION_HEADER}${A},2024-01,1,1,,\n${UNKNOWN},2024-01,1,1,,\n`,
        'partial',
      );
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({
        status: 'partially_succeeded',
        accepted_rows: 1,
        rejected_rows: 1,
      });
      expect(production(A)).toEqual([{ period: '2024-01', oil_bbl: 1, gas_mcf: 1 }]);
    });

    it('restores the wells already written when a later write fails, and fails the job', async () => {
      // GIVEN well A with a month already stored
      expect((await upload(`${PRODUCTION_HEADER}${A},2023-12,7,7,,\n`)).status).toBe(201);
      // WHEN the graph fails the second well's write of the next file
      svc.kg.failProductionFrom = svc.kg.productionRequests + 2;
      const res = await upload(`${PRODUCTION_HEADER}${A},2024-01,1,1,,\n${B},2024-01,2,2,,\n`);
      // THEN the job failed, and A has exactly what it had before
      expect(res.status).toBe(502);
      const body = (await res.json()) as { code: string; detail: string; job: Job };
      expect(body.code).toBe('production_write_failed');
      expect(body.detail).toContain('nothing was stored');
      expect(body.job).toMatchObject({ status: 'failed', failure: { code: 'production_write_failed' } });
      expect(production(A)).toEqual([{ period: '2023-12', oil_bbl: 7, gas_mcf: 7 }]);
      expect(production(B)).toBeUndefined();
    });
  });

  describe('POST /ingest/scada', () => {
    const reading = { api_number: A, timestamp: '2024-06-01T06:00:00Z', volume_mcf: 90, reading_id: 'R-1' };

    it('records each reading once per reading id, with the caller’s token', async () => {
      const res = await post('/ingest/scada', { readings: [reading] });
      expect(res.status).toBe(201);
      expect(svc.flaring.posts[0].authorization).toBe(`Bearer ${token}`);
      const again = await post('/ingest/scada', { readings: [reading] });
      expect(again.status).toBe(201);
      expect(await again.json()).toMatchObject({
        status: 'succeeded',
        accepted_rows: 1,
        created: 0,
        updated: 1,
      });
      expect(svc.flaring.events('default')).toHaveLength(1);
    });

    it('derives a reading id from the well, the flare and the start when none is given', async () => {
      const anonymous = { api_number: A, timestamp: '2024-06-02T06:00:00Z', volume_mcf: 5, flare_id: 'F2' };
      await post('/ingest/scada', { readings: [anonymous] });
      await post('/ingest/scada', { readings: [anonymous] });
      expect(svc.flaring.events('default')).toEqual([
        expect.objectContaining({ source_reading_id: `scada:${A}:F2:2024-06-02T06:00:00Z` }),
      ]);
    });

    it('rejects a known reading id with other content and deletes what the job created (all_or_nothing)', async () => {
      expect((await post('/ingest/scada', { readings: [reading] })).status).toBe(201);
      const stored = svc.flaring.events('default');
      const fresh = { ...reading, reading_id: 'R-2' };
      const res = await post('/ingest/scada', { readings: [fresh, { ...reading, volume_mcf: 91 }] });
      expect(res.status).toBe(422);
      const body = (await res.json()) as {
        code: string;
        detail: { loc: unknown[]; msg: string }[];
        job: Job;
      };
      expect(body.code).toBe('rows_rejected');
      expect(body.detail).toEqual([
        expect.objectContaining({
          loc: ['body', 'readings', 1, 'reading_id'],
          msg: expect.stringContaining('R-1'),
        }),
      ]);
      expect(body.job).toMatchObject({ status: 'failed', accepted_rows: 0, rejected_rows: 1 });
      expect(svc.flaring.events('default')).toEqual(stored);
    });

    it('keeps the good readings with mode=partial', async () => {
      await post('/ingest/scada', { readings: [reading] });
      const res = await post('/ingest/scada', {
        mode: 'partial',
        readings: [
          { ...reading, reading_id: 'R-2' },
          { ...reading, volume_mcf: 91 },
        ],
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ status: 'partially_succeeded', created: 1, rejected_rows: 1 });
      expect(svc.flaring.events('default').map((e) => e.source_reading_id)).toEqual(['R-1', 'R-2']);
    });

    it('names a reading of an unknown well and sends nothing', async () => {
      const res = await post('/ingest/scada', { readings: [reading, { ...reading, api_number: UNKNOWN }] });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ detail: [{ loc: ['body', 'readings', 1, 'api_number'] }] });
      expect(svc.flaring.posts).toEqual([]);
    });

    it('fails the job and deletes the events it created when the flaring monitor fails', async () => {
      svc.flaring.failPostFrom = 2;
      const res = await post('/ingest/scada', { readings: [reading, { ...reading, reading_id: 'R-2' }] });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ code: 'flaring_monitor_error', job: { status: 'failed' } });
      expect(svc.flaring.events('default')).toEqual([]);
    });
  });
});
