import type { IngestionPlatform } from './platform';

/** Ingestion as `npm start` runs it: real auth tokens through the gateway, the real knowledge graph
 * (SQLite) and the ingestion service as processes. Stored rows are counted through the graph's API. */

const HEADER =
  '\uFEFFAPI No.,Well Name,Operator Name,Operator No.,Lease Name,Lease No.,District,Lat,Long,Spud Date\r\n';
let serial = 0;
const apiOf = (n: number) => `42-317-${String(20000 + n).padStart(5, '0')}`;
/** A fresh, valid well row (unique API number per call). */
function wellRow(): string {
  serial += 1;
  const unique = String(20000 + serial).padStart(5, '0');
  return `42-317-${unique},Test Well ${serial}H,Caprock Test Operating LLC,123457,UNIVERSITY 7,41001,8A,32.3,-101.9,03/15/2021\r\n`;
}
const wells = (n: number) => HEADER + Array.from({ length: n }, wellRow).join('');

function form(fields: Record<string, string>, content?: string, filename = 'wells.csv'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (content !== undefined) f.append('file', new Blob([content], { type: 'text/csv' }), filename);
  return f;
}

/** A chunked body (no Content-Length): the service has to count the bytes as they stream. */
function chunkedMultipart(
  fields: Record<string, string>,
  content: string,
): { body: ReadableStream<Uint8Array>; type: string } {
  const boundary = '----aegis-e2e';
  const text =
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

interface Job {
  job_id: string;
  status: string;
  total_rows: number;
  accepted_rows: number;
  rejected_rows: number;
  created: number;
  updated: number;
  errors: { row: number; field: string; reason: string }[];
}

/** The endpoint tests, run against a platform started by `start`. */
export function ingestionPlatformSuite(start: () => Promise<IngestionPlatform>): void {
  let p: IngestionPlatform;
  /** An API number the first test stores. */
  let storedApi = '';

  beforeAll(async () => {
    p = await start();
  }, 120_000);

  afterAll(async () => {
    await p?.stop();
  }, 60_000);

  const postJson = (path: string, body: unknown, token = p.tokens.operator) =>
    fetch(`${p.base}/api/v1/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const readEntity = (label: string, id: string) =>
    fetch(`${p.base}/api/v1/entities/${label}/${id}`, {
      headers: { authorization: `Bearer ${p.tokens.viewer}` },
    });
  const upload = (body: FormData, token = p.tokens.operator, query = '') =>
    fetch(`${p.base}/api/v1/ingest/operator/csv${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });

  it('stores a valid wells file with its operator and lease and answers 201 with the job', async () => {
    const before = await p.count('Well');
    const res = await upload(form({ data_type: 'wells' }, wells(5)));
    storedApi = apiOf(serial);
    expect(res.status).toBe(201);
    const job = (await res.json()) as Job;
    expect(job).toMatchObject({ status: 'succeeded', total_rows: 5, accepted_rows: 5, rejected_rows: 0 });
    expect(await p.count('Well')).toBe(before + 5);
    expect(await p.count('Operator')).toBeGreaterThanOrEqual(1);
    const well = await fetch(`${p.base}/api/v1/entities/Well/${storedApi}`, {
      headers: { authorization: `Bearer ${p.tokens.viewer}` },
    });
    expect(well.status).toBe(200);
    expect(await well.json()).toMatchObject({ properties: { latitude: 32.3, spud_date: '2021-03-15' } });
  });

  it('answers 422 naming the one bad row and stores nothing (all_or_nothing)', async () => {
    const before = await p.count('Well');
    const lines = wells(6).split('\r\n');
    lines[4] = lines[4].replace(',32.3,', ',52.3,'); // row 5: latitude outside Texas
    const res = await upload(form({ data_type: 'wells' }, lines.join('\r\n')));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: { loc: unknown[]; msg: string }[]; code: string; job: Job };
    expect(body.code).toBe('rows_rejected');
    expect(body.detail).toEqual([expect.objectContaining({ loc: ['file', 'row', 5, 'latitude'] })]);
    expect(body.job).toMatchObject({ status: 'failed', total_rows: 6, accepted_rows: 0, rejected_rows: 1 });
    expect(await p.count('Well')).toBe(before);
  });

  it('stores the good rows with mode=partial', async () => {
    const before = await p.count('Well');
    const lines = wells(6).split('\r\n');
    lines[2] = lines[2].replace(/^42-317-/, '43-317-'); // row 3: not a Texas API number
    const res = await upload(form({ data_type: 'wells', mode: 'partial' }, lines.join('\r\n')));
    expect(res.status).toBe(201);
    const job = (await res.json()) as Job;
    expect(job).toMatchObject({ status: 'partially_succeeded', accepted_rows: 5, rejected_rows: 1 });
    expect(job.errors).toEqual([expect.objectContaining({ row: 3, field: 'api_number' })]);
    expect(await p.count('Well')).toBe(before + 5);
  });

  it('creates no duplicates when the same file is uploaded again', async () => {
    const file = wells(4);
    const before = await p.count('Well');
    const first = (await (await upload(form({ data_type: 'wells' }, file))).json()) as Job;
    const second = (await (await upload(form({ data_type: 'wells' }, file))).json()) as Job;
    expect(first).toMatchObject({ status: 'succeeded', created: 4 });
    expect(second).toMatchObject({ status: 'succeeded', created: 0 });
    expect(second.updated).toBeGreaterThanOrEqual(4);
    expect(await p.count('Well')).toBe(before + 4);
  });

  it('leaves nothing behind for 415, 422 (no file, empty file, unknown data_type) and 413', async () => {
    const before = await p.count('Well');
    const notMultipart = await fetch(`${p.base}/api/v1/ingest/operator/csv?data_type=wells`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.tokens.operator}`, 'content-type': 'text/csv' },
      body: wells(2),
    });
    expect(notMultipart.status).toBe(415);
    expect((await upload(form({ data_type: 'wells' }))).status).toBe(422);
    const empty = await upload(form({ data_type: 'wells' }, ''));
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ code: 'empty_file' });
    const unknown = await upload(form({ data_type: 'pipelines' }, wells(2)));
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ detail: [{ loc: ['body', 'data_type'] }] });

    // Over the service's limit (1 MiB here): declared, then counted on a chunked stream.
    const big = wells(12_000); // about 1.4 MB
    const declared = await upload(form({ data_type: 'wells' }, big));
    expect(declared.status).toBe(413);
    const chunked = chunkedMultipart({ data_type: 'wells' }, big);
    const streamed = await fetch(`${p.base}/api/v1/ingest/operator/csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.tokens.operator}`, 'content-type': chunked.type },
      body: chunked.body,
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ code: 'upload_too_large', job: { status: 'failed' } });
    expect(await p.count('Well')).toBe(before);
  });

  it('lets a viewer read jobs but not upload, and hides jobs from other tenants', async () => {
    const created = (await (await upload(form({ data_type: 'wells' }, wells(1)))).json()) as Job;
    expect((await upload(form({ data_type: 'wells' }, wells(1)), p.tokens.viewer)).status).toBe(403);

    const list = await fetch(`${p.base}/api/v1/ingest/jobs?page_size=100&data_type=wells`, {
      headers: { authorization: `Bearer ${p.tokens.viewer}` },
    });
    expect(list.status).toBe(200);
    const page = (await list.json()) as { data: Job[]; total: number; page: number; page_size: number };
    expect(page).toMatchObject({ page: 1, page_size: 100 });
    expect(page.total).toBeGreaterThanOrEqual(8);
    expect(page.data[0].job_id).toBe(created.job_id); // newest first
    expect(page.data.map((j) => j.status)).toEqual(
      expect.arrayContaining(['succeeded', 'failed', 'partially_succeeded']),
    );

    const one = await fetch(`${p.base}/api/v1/ingest/jobs/${created.job_id}`, {
      headers: { authorization: `Bearer ${p.tokens.viewer}` },
    });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ job_id: created.job_id, errors: [] });

    const foreign = await fetch(`${p.base}/api/v1/ingest/jobs/${created.job_id}`, {
      headers: { authorization: `Bearer ${p.tokens.otherTenant}` },
    });
    expect(foreign.status).toBe(404);
    const sorted = await fetch(`${p.base}/api/v1/ingest/jobs?sort_by=password`, {
      headers: { authorization: `Bearer ${p.tokens.viewer}` },
    });
    expect(sorted.status).toBe(422);
  });

  it('loads the bundled RRC samples with the upload loader, idempotently', async () => {
    const token = p.tokens.otherTenant; // a tenant of its own, so the counts are exact
    const scrape = () => postJson('ingest/rrc-scrape', {}, token);
    const res = await scrape();
    expect(res.status).toBe(201);
    const { jobs } = (await res.json()) as { jobs: (Job & { data_type: string; kind: string })[] };
    expect(jobs.map((j) => [j.data_type, j.kind, j.status])).toEqual([
      ['wells', 'rrc_scrape', 'succeeded'],
      ['permits', 'rrc_scrape', 'succeeded'],
      ['production', 'rrc_scrape', 'succeeded'],
      ['flaring', 'rrc_scrape', 'succeeded'],
    ]);
    const counts = {
      Well: await p.count('Well', token),
      Permit: await p.count('Permit', token),
      WellEvent: await p.count('WellEvent', token),
      FlaringEvent: await p.count('FlaringEvent', token),
    };
    expect(counts).toEqual({
      Well: jobs[0].accepted_rows,
      Permit: jobs[1].accepted_rows,
      WellEvent: 0, // production months are on the wells, not events
      FlaringEvent: jobs[3].accepted_rows,
    });
    const months: number[] = [];
    for (let page = 1; months.length < counts.Well; page += 1) {
      const listed = await fetch(`${p.base}/api/v1/entities/Well?page_size=100&page=${page}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const stored = (await listed.json()) as { data: { properties: { production?: unknown[] } }[] };
      expect(stored.data.length).toBeGreaterThan(0);
      months.push(...stored.data.map((w) => w.properties.production?.length ?? 0));
    }
    expect(months.reduce((a, b) => a + b, 0)).toBe(jobs[2].accepted_rows);
    expect(jobs[2].updated).toBe(months.filter((n) => n > 0).length);
    expect(counts.Well).toBe(240);
    expect((await scrape()).status).toBe(201);
    expect(await p.count('Well', token)).toBe(240);
    expect(await p.count('Permit', token)).toBe(counts.Permit);
    // The other tenant's wells are not the default tenant's.
    expect(await p.count('Well', p.tokens.operator)).toBeLessThan(100);
  });

  it('extracts records into entities and edges, naming the record the graph refuses', async () => {
    const api = storedApi;
    const ok = await postJson('extract', {
      data_type: 'permits',
      records: [
        { 'Permit No.': '990001', 'API No.': api, Status: 'Approved', 'Approved Date': '2021-01-05' },
      ],
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      kind: 'extract',
      status: 'succeeded',
      accepted_rows: 1,
      created: 1,
      edges_created: 1,
    });
    const edges = await fetch(`${p.base}/api/v1/edges/Permit/W1-990001`, {
      headers: { authorization: `Bearer ${p.tokens.viewer}` },
    });
    expect(edges.status).toBe(200);
    expect(JSON.stringify(await edges.json())).toContain('AUTHORIZES');

    const unknownWell = await postJson('extract', {
      data_type: 'permits',
      records: [
        { permit_number: '990002', api_number: api },
        { permit_number: '990003', api_number: '42-317-99999' },
      ],
    });
    expect(unknownWell.status).toBe(422);
    const body = (await unknownWell.json()) as { detail: { loc: unknown[] }[] };
    expect(body.detail).toEqual([expect.objectContaining({ loc: ['body', 'records', 1, 'to_id'] })]);
    expect(await p.count('Permit')).toBe(1);
  });

  it('lets a platform admin ingest into another tenant with tenant_id: the job and the data land there', async () => {
    const acmeWells = await p.count('Well', p.tokens.otherTenant);
    const ownWells = await p.count('Well');
    serial += 1;
    const api = apiOf(serial);
    const r = await postJson(
      'extract?tenant_id=acme',
      {
        data_type: 'wells',
        records: [
          {
            'API No.': api,
            'Well Name': 'Acme 1H',
            'Operator Name': 'Acme Operating LLC',
            'Operator No.': '654399',
            'Lease Name': 'ACME UNIT',
            'Lease No.': '41999',
            District: '8A',
          },
        ],
      },
      p.tokens.admin,
    );
    expect(r.status).toBe(201);
    const job = (await r.json()) as { job_id: string };
    expect(await p.count('Well', p.tokens.otherTenant)).toBe(acmeWells + 1);
    expect(await p.count('Well')).toBe(ownWells);
    const read = (token: string, query = '') =>
      fetch(`${p.base}/api/v1/ingest/jobs/${job.job_id}${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await read(p.tokens.otherTenant)).status).toBe(200);
    expect((await read(p.tokens.operator)).status).toBe(404);
    // An operator naming another tenant is refused before anything runs.
    const refused = await postJson('extract?tenant_id=acme', { data_type: 'wells', records: [] });
    expect(refused.status).toBe(403);
  });

  it('records SCADA flaring readings as flare events of the flaring monitor, once per reading id', async () => {
    const api = storedApi;
    const graphEvents = await p.count('FlaringEvent');
    const events = () => p.flaring.events('default');
    const before = events().length;
    const readings = [
      {
        api_number: api,
        timestamp: '2024-06-01T06:00:00Z',
        volume_mcf: 120.5,
        duration_minutes: 90,
        reading_id: 'unit7-0001',
      },
      { api_number: api, timestamp: '2024-06-01T09:00:00-05:00', volume_mcf: 80, disposition: 'vented' },
    ];
    const res = await postJson('ingest/scada', { source: 'scada-unit-7', readings });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      kind: 'scada',
      data_type: 'flaring',
      accepted_rows: 2,
      created: 2,
    });
    expect(events().slice(before)).toEqual([
      expect.objectContaining({
        well_id: api.replace(/-/g, '') + '0000',
        start_time: '2024-06-01T06:00:00Z',
        end_time: '2024-06-01T07:30:00Z',
        volume_mcf: 120.5,
        disposition: '10',
        source: 'scada',
        source_reading_id: 'UNIT7-0001', // an identifier, normalised like every other
      }),
      expect.objectContaining({ start_time: '2024-06-01T14:00:00Z', disposition: '11', source: 'scada' }),
    ]);
    // The flaring monitor is the record of flare events now; the graph gets none.
    expect(await p.count('FlaringEvent')).toBe(graphEvents);

    // The same readings again: nothing new.
    const again = await postJson('ingest/scada', { readings });
    expect(await again.json()).toMatchObject({ status: 'succeeded', created: 0, updated: 2 });
    expect(events()).toHaveLength(before + 2);

    // A known reading id with other content is a rejected row; nothing changes.
    const changed = await postJson('ingest/scada', { readings: [{ ...readings[0], volume_mcf: 121 }] });
    expect(changed.status).toBe(422);
    expect(await changed.json()).toMatchObject({
      code: 'rows_rejected',
      request_id: expect.any(String),
      detail: [{ loc: ['body', 'readings', 0, 'reading_id'], type: 'row_rejected' }],
      job: { status: 'failed', rejected_rows: 1 },
    });
    expect(events()).toHaveLength(before + 2);
    expect(events()[before]).toMatchObject({ volume_mcf: 120.5 });
  });

  it('writes production rows to each well’s monthly production, and nothing when a row names an unknown well', async () => {
    const api = storedApi;
    const header = 'API No.,Month,Oil (BBL),Casinghead Gas (MCF),Disposition 10,Disposition 11,Days\r\n';
    const res = await upload(
      form(
        { data_type: 'production' },
        `${header}${api},2024-05,1200,2400,30,5,31\r\n${api},06/2024,1100,2300,,,30\r\n`,
      ),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'succeeded', accepted_rows: 2, updated: 1 });
    const production = async () =>
      ((await (await readEntity('Well', api)).json()) as { properties: { production?: unknown } }).properties
        .production;
    const written = [
      { period: '2024-05', oil_bbl: 1200, gas_mcf: 2400, flared_mcf: 30, vented_mcf: 5, days_produced: 31 },
      { period: '2024-06', oil_bbl: 1100, gas_mcf: 2300, days_produced: 30 },
    ];
    expect(await production()).toEqual(written);

    const refused = await upload(
      form(
        { data_type: 'production' },
        `${header}${api},2024-07,1,1,,,1\r\n42-317-99998,2024-07,1,1,,,1\r\n`,
      ),
    );
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      code: 'rows_rejected',
      request_id: expect.any(String),
      detail: [{ loc: ['file', 'row', 3, 'api_number'] }],
      job: { status: 'failed', accepted_rows: 0, rejected_rows: 1 },
    });
    expect(await production()).toEqual(written);
  });

  it('reads a Latin-1 file declared with charset=latin1, and refuses it undeclared naming the line', async () => {
    const latin1 = Buffer.from(
      'API No.,Well Name,Operator Name,Operator No.,Lat,Long,Spud Date\r\n' +
        '42-317-39001,Peñasco 1,Peñasco Energía LLC,777001,32.3,-101.9,03/15/2021\r\n',
      'latin1',
    );
    const send = (fields: Record<string, string>, query = '') => {
      const f = form(fields);
      f.append('file', new Blob([latin1], { type: 'text/csv' }), 'latin1.csv');
      return upload(f, p.tokens.operator, query);
    };
    const refused = await send({ data_type: 'wells' });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      code: 'invalid_encoding',
      detail: [{ loc: ['file', 'line', 2] }],
      request_id: expect.any(String),
      job: { status: 'failed' },
    });
    expect((await readEntity('Operator', 'OP-777001')).status).toBe(404);

    // data_type as a form field with mode in the query (the two used to clash)
    const stored = await send({ data_type: 'wells', charset: 'latin1' }, '?mode=partial');
    expect(stored.status).toBe(201);
    expect(await stored.json()).toMatchObject({ mode: 'partial', accepted_rows: 1 });
    const operator = await readEntity('Operator', 'OP-777001');
    expect(await operator.json()).toMatchObject({ properties: { name: 'Peñasco Energía LLC' } });
  });

  it('answers 422 naming an undeclared or repeated parameter on every list of every service', async () => {
    const lists = [
      ['auth/users', p.tokens.admin],
      ['entities/Well', p.tokens.viewer],
      [`edges/Well/${storedApi}`, p.tokens.viewer],
      ['entity-types', p.tokens.viewer],
      ['ingest/jobs', p.tokens.viewer],
    ] as const;
    for (const [list, token] of lists) {
      for (const [query, name] of [
        ['page[]=1', 'page[]'],
        ['page=1&page=2', 'page'],
      ]) {
        const res = await fetch(`${p.base}/api/v1/${list}?${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect([list, query, res.status]).toEqual([list, query, 422]);
        expect(await res.json()).toMatchObject({
          code: 'validation_error',
          detail: [{ loc: ['query', name] }],
          request_id: expect.any(String),
        });
      }
    }
    const typo = await fetch(`${p.base}/api/v1/ingest/jobs?data_type=nope`, {
      headers: { authorization: `Bearer ${p.tokens.viewer}` },
    });
    expect(typo.status).toBe(422);
    expect(await typo.json()).toMatchObject({
      detail: [{ loc: ['query', 'data_type'], msg: 'must be one of: wells, permits, production, flaring' }],
    });
  });
}
