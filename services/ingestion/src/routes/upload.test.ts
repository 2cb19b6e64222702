import { multipartForm, startTestIngestion, type TestIngestion } from '@aegis/testing/ingestion';

const WELLS_HEADER = '\uFEFFAPI No.,Well Name,Operator Name,Operator No.,Lat,Long,Spud Date\n';
const goodWell = (n: number) =>
  `42-329-${String(30000 + n).padStart(5, '0')},Well ${n},Permian Ridge Operating LLC,654321,31.9,-102.1,03/0${(n % 9) + 1}/2021\n`;

const HEADER_NO_BOM = 'API No.,Well Name,Operator Name,Operator No.,Lat,Long,Spud Date\n';
const row = (n: number, operator = 'Permian Ridge Operating LLC', name = `Well ${n}`) =>
  `42-329-${String(30000 + n).padStart(5, '0')},${name},${operator},654321,31.9,-102.1,03/01/2021\n`;

interface ErrorAnswer {
  code: string;
  request_id: string;
  detail: { loc: (string | number)[]; msg: string; type: string }[];
  job?: { status: string; failure: { code: string } | null };
}

/** A form whose parts come in exactly this order (fields and files). */
function orderedForm(parts: [string, string | { content: string | Buffer; type?: string }][]): FormData {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.content], { type: value.type ?? 'text/csv' }), 'upload.csv');
  }
  return form;
}

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

  describe('form and query parameters', () => {
    const nothingStored = () => {
      expect(svc.kg.entities('default')).toHaveLength(0);
      expect(svc.kg.imports().every((i) => i.status !== 'committed')).toBe(true);
    };

    it('takes data_type from the form and mode from the query, and the reverse', async () => {
      const csv = HEADER_NO_BOM + row(1) + 'not-an-api,Bad,Op,654321,31.9,-102.1,03/01/2021\n';
      const formType = await upload(multipartForm({ data_type: 'wells' }, { content: csv }), '?mode=partial');
      expect(formType.status).toBe(201);
      expect(await formType.json()).toMatchObject({ data_type: 'wells', mode: 'partial', accepted_rows: 1 });

      const queryType = await upload(
        multipartForm({ mode: 'partial' }, { content: csv }),
        '?data_type=wells',
      );
      expect(queryType.status).toBe(201);
      expect(await queryType.json()).toMatchObject({ data_type: 'wells', mode: 'partial', accepted_rows: 1 });
    });

    it('answers 422 naming a field given differently in the form and the query', async () => {
      const res = await upload(
        multipartForm({ data_type: 'wells', mode: 'partial' }, { content: HEADER_NO_BOM + row(1) }),
        '?mode=all_or_nothing',
      );
      expect(res.status).toBe(422);
      const body = (await res.json()) as ErrorAnswer;
      expect(body).toMatchObject({ code: 'validation_error', detail: [{ loc: ['body', 'mode'] }] });
      expect(body.request_id).toEqual(expect.any(String));
      nothingStored();
    });

    it('answers 422 naming file for two file parts, and stores nothing of the first', async () => {
      for (const mode of ['all_or_nothing', 'partial']) {
        const res = await upload(
          orderedForm([
            ['data_type', 'wells'],
            ['mode', mode],
            ['file', { content: HEADER_NO_BOM + row(1) }],
            ['file', { content: HEADER_NO_BOM + row(2) }],
          ]),
        );
        expect(res.status).toBe(422);
        const body = (await res.json()) as ErrorAnswer;
        expect(body.code).toBe('validation_error');
        expect(body.request_id).toEqual(expect.any(String));
        expect(body.detail).toEqual([expect.objectContaining({ loc: ['body', 'file'] })]);
        expect(body.job).toMatchObject({ status: 'failed', failure: { code: 'validation_error' } });
        nothingStored();
      }
    });

    it('answers 422 for an upload field sent after the file, or repeated with another value', async () => {
      const late = await upload(
        orderedForm([
          ['data_type', 'wells'],
          ['file', { content: HEADER_NO_BOM + row(1) }],
          ['mode', 'partial'],
        ]),
      );
      expect(late.status).toBe(422);
      expect(await late.json()).toMatchObject({
        detail: [{ loc: ['body', 'mode'] }],
        job: { status: 'failed' },
      });

      const twice = await upload(
        orderedForm([
          ['data_type', 'wells'],
          ['data_type', 'permits'],
          ['file', { content: HEADER_NO_BOM + row(1) }],
        ]),
      );
      expect(twice.status).toBe(422);
      expect(await twice.json()).toMatchObject({ detail: [{ loc: ['body', 'data_type'] }] });
      nothingStored();
    });

    it('keeps line breaks inside a quoted field', async () => {
      const res = await upload(
        multipartForm(
          { data_type: 'wells' },
          { content: HEADER_NO_BOM + row(1, 'Permian Ridge', '"Well 1\r\nSouth  pad"') },
        ),
      );
      expect(res.status).toBe(201);
      expect(svc.kg.entities('default', 'Well')[0].properties).toMatchObject({ name: 'Well 1\nSouth pad' });
    });
  });

  describe('character sets', () => {
    const uploadBytes = (fields: Record<string, string>, content: Buffer, query = '') =>
      upload(multipartForm({ data_type: 'wells', ...fields }, { content }), query);
    const operatorName = () => svc.kg.entities('default', 'Operator')[0]?.properties.name;
    const latin1 = Buffer.from(
      HEADER_NO_BOM + row(1, 'Peñasco Energía LLC') + row(2, 'Peñasco Energía LLC'),
      'latin1',
    );

    it('reads a Latin-1 file declared with charset=latin1 (field or query)', async () => {
      const res = await uploadBytes({ charset: 'latin1' }, latin1);
      expect(res.status).toBe(201);
      expect(operatorName()).toBe('Peñasco Energía LLC');

      const viaQuery = await uploadBytes({}, latin1, '?charset=windows-1252');
      expect(viaQuery.status).toBe(201);
    });

    it('answers 422 naming the line of the first undecodable byte, records the job failed, stores nothing', async () => {
      const res = await uploadBytes({}, latin1);
      expect(res.status).toBe(422);
      const body = (await res.json()) as ErrorAnswer;
      expect(body).toMatchObject({
        code: 'invalid_encoding',
        detail: [{ loc: ['file', 'line', 2], type: 'invalid_encoding' }],
        job: { status: 'failed', failure: { code: 'invalid_encoding' } },
      });
      expect(body.detail[0].msg).toContain('line 2, column 23');
      expect(body.request_id).toEqual(expect.any(String));
      expect(svc.kg.entities('default')).toHaveLength(0);
      expect(svc.kg.imports().every((i) => i.status !== 'committed')).toBe(true);
    });

    it('detects UTF-16 (LE and BE) by its byte-order mark and drops a UTF-8 one', async () => {
      const text = HEADER_NO_BOM + row(1, 'Peñasco Energía LLC');
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const be = Buffer.from(le);
      be.swap16();
      for (const content of [le, be, Buffer.from('\uFEFF' + text, 'utf8')]) {
        const res = await uploadBytes({}, content);
        expect(res.status).toBe(201);
        expect(operatorName()).toBe('Peñasco Energía LLC');
      }
    });

    it('answers 422 naming charset for an unknown one, before creating a job', async () => {
      for (const [fields, query] of [
        [{ charset: 'ebcdic' }, ''],
        [{}, '?charset=ebcdic'],
      ] as const) {
        const res = await uploadBytes(fields, latin1, query);
        expect(res.status).toBe(422);
        const body = (await res.json()) as ErrorAnswer;
        expect(body.detail).toEqual([expect.objectContaining({ loc: ['body', 'charset'], type: 'enum' })]);
        expect(body.detail[0].msg).toContain('windows-1252');
      }
      const jobs = await fetch(`${svc.url}/ingest/jobs`, { headers: { authorization: `Bearer ${token}` } });
      expect(await jobs.json()).toMatchObject({ total: 0 });
      expect(svc.kg.imports()).toHaveLength(0);
    });
  });
});
