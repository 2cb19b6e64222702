import { multipartForm, startTestIngestion, type TestIngestion } from '@aegis/testing/ingestion';

const WELLS_HEADER = '\uFEFFAPI No.,Well Name,Operator Name,Operator No.,Lat,Long,Spud Date\n';
const goodWell = (n: number) =>
  `42-329-${String(30000 + n).padStart(5, '0')},Well ${n},Permian Ridge Operating LLC,654321,31.9,-102.1,03/0${(n % 9) + 1}/2021\n`;

describe('POST /ingest/operator/csv', () => {
  let svc: TestIngestion;
  let token: string;

  beforeEach(async () => {
    svc = await startTestIngestion();
    token = await svc.token(['operator']);
  });

  afterEach(async () => {
    await svc.close();
  });

  const upload = (body: FormData | string, query = '', headers: Record<string, string> = {}, auth = token) =>
    fetch(`${svc.url}/ingest/operator/csv${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}`, ...headers },
      body,
    });

  it('stores every row of a valid wells file and answers 201 with the job', async () => {
    const csv = WELLS_HEADER + goodWell(1) + goodWell(2) + goodWell(3);
    const res = await upload(multipartForm({ data_type: 'wells' }, { content: csv, filename: 'wells.csv' }));
    expect(res.status).toBe(201);
    const job = (await res.json()) as Record<string, unknown>;
    expect(job).toMatchObject({
      kind: 'csv_upload',
      data_type: 'wells',
      mode: 'all_or_nothing',
      status: 'succeeded',
      source: 'wells.csv',
      total_rows: 3,
      accepted_rows: 3,
      rejected_rows: 0,
      errors: [],
      created: 4, // 3 wells + 1 operator
    });
    expect(res.headers.get('location')).toBe(`/ingest/jobs/${String(job.job_id)}`);
    const wells = svc.kg.entities('default', 'Well');
    expect(wells.map((w) => w.entity_id).sort()).toEqual([
      '42329300010000',
      '42329300020000',
      '42329300030000',
    ]);
    expect(wells[0].properties).toMatchObject({
      api_number: '42329300010000',
      name: 'Well 1',
      latitude: 31.9,
    });
    expect(svc.kg.edges('default', 'OPERATED_BY')).toHaveLength(3);
  });

  it('answers 422 naming the bad row and stores nothing in all_or_nothing mode', async () => {
    const csv =
      WELLS_HEADER + goodWell(1) + '42-329-3000X,Bad,Op,654321,31.9,-102.1,03/01/2021\n' + goodWell(3);
    const res = await upload(multipartForm({ data_type: 'wells' }, { content: csv }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      detail: { loc: unknown[] }[];
      code: string;
      job: Record<string, unknown>;
    };
    expect(body.code).toBe('rows_rejected');
    expect(body.detail).toEqual([
      expect.objectContaining({ loc: ['file', 'row', 3, 'api_number'], type: 'row_rejected' }),
    ]);
    expect(body.job).toMatchObject({ status: 'failed', total_rows: 3, accepted_rows: 0, rejected_rows: 1 });
    expect(svc.kg.entities('default')).toHaveLength(0);
    expect(svc.kg.imports().every((i) => i.status !== 'committed')).toBe(true);
  });

  it('stores the good rows with mode=partial (form field or query parameter)', async () => {
    const csv =
      WELLS_HEADER + goodWell(1) + 'not-an-api,Bad,Op,654321,31.9,-102.1,03/01/2021\n' + goodWell(3);
    const viaField = await upload(multipartForm({ data_type: 'wells', mode: 'partial' }, { content: csv }));
    expect(viaField.status).toBe(201);
    expect(await viaField.json()).toMatchObject({
      status: 'partially_succeeded',
      accepted_rows: 2,
      rejected_rows: 1,
      errors: [expect.objectContaining({ row: 3, line: 3, field: 'api_number', value: 'not-an-api' })],
    });
    expect(svc.kg.entities('default', 'Well')).toHaveLength(2);
    const viaQuery = await upload(multipartForm({}, { content: csv }), '?data_type=wells&mode=partial');
    expect(viaQuery.status).toBe(201);
  });

  it('creates no duplicates when the same file is uploaded again', async () => {
    const csv = WELLS_HEADER + goodWell(1) + goodWell(2);
    const first = (await (
      await upload(multipartForm({ data_type: 'wells' }, { content: csv }))
    ).json()) as Record<string, number>;
    const second = (await (
      await upload(multipartForm({ data_type: 'wells' }, { content: csv }))
    ).json()) as Record<string, number>;
    expect(first).toMatchObject({ created: 3, updated: 0, edges_created: 2 });
    expect(second).toMatchObject({ created: 0, updated: 3, edges_created: 0, edges_updated: 2 });
    expect(svc.kg.entities('default', 'Well')).toHaveLength(2);
    expect(svc.kg.edges('default')).toHaveLength(2);
  });

  it('answers 415 for a body that is not multipart', async () => {
    const res = await upload('API No.\n42-329-30001\n', '?data_type=wells', { 'content-type': 'text/csv' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'unsupported_media_type' });
    expect(svc.kg.imports()).toHaveLength(0);
  });

  it('answers 422 without a file part, for an empty file and for an unknown data_type', async () => {
    const noFile = await upload(multipartForm({ data_type: 'wells' }));
    expect(noFile.status).toBe(422);
    expect(await noFile.json()).toMatchObject({ detail: [{ loc: ['body', 'file'], type: 'missing' }] });

    const empty = await upload(multipartForm({ data_type: 'wells' }, { content: '' }));
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ code: 'empty_file', job: { status: 'failed' } });

    const unknown = await upload(
      multipartForm({ data_type: 'pipelines' }, { content: WELLS_HEADER + goodWell(1) }),
    );
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ detail: [{ loc: ['body', 'data_type'], type: 'enum' }] });
    expect(svc.kg.imports()).toHaveLength(0);
    expect(svc.kg.entities('default')).toHaveLength(0);
  });

  it('answers 422 naming missing required columns', async () => {
    const res = await upload(multipartForm({ data_type: 'permits' }, { content: 'Lease,County\nA,B\n' }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: { loc: unknown[] }[] };
    expect(body.detail.map((d) => d.loc)).toEqual([
      ['file', 'header', 'permit_number'],
      ['file', 'header', 'api_number'],
    ]);
  });

  it('answers 403 to a viewer and 401 without a token', async () => {
    const viewer = await svc.token(['viewer']);
    const form = () => multipartForm({ data_type: 'wells' }, { content: WELLS_HEADER + goodWell(1) });
    expect((await upload(form(), '', {}, viewer)).status).toBe(403);
    const anonymous = await fetch(`${svc.url}/ingest/operator/csv`, { method: 'POST', body: form() });
    expect(anonymous.status).toBe(401);
    expect(svc.kg.entities('default')).toHaveLength(0);
  });

  it('reports malformed CSV rows (unbalanced quotes, wrong column count) as row errors', async () => {
    const csv =
      WELLS_HEADER +
      goodWell(1) +
      '42-329-30002,Too,Few\n' +
      goodWell(3) +
      '42-329-30004,"Broken "quote",Op,654321,31.9,-102.1,03/01/2021\n' +
      goodWell(5);
    const res = await upload(multipartForm({ data_type: 'wells', mode: 'partial' }, { content: csv }));
    expect(res.status).toBe(201);
    const job = (await res.json()) as {
      errors: { row: number; field: string; reason: string }[];
      accepted_rows: number;
    };
    expect(job.errors[0]).toMatchObject({ row: 3, field: 'row', reason: 'expected 7 columns, found 3' });
    expect(job.errors[1]).toMatchObject({ row: 5, field: 'row', reason: expect.stringMatching(/quote/) });
    expect(job.accepted_rows).toBe(3);
  });
});
