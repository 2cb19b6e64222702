import { multipartForm, startTestIngestion, type TestIngestion } from '@aegis/testing/ingestion';

const HEADER = 'API No.,Well Name,Operator Name,Operator No.,Lat,Long,Spud Date\n';
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

describe('POST /ingest/operator/csv form and query parameters', () => {
  let svc: TestIngestion;
  let token: string;

  beforeEach(async () => {
    svc = await startTestIngestion();
    token = await svc.token(['operator']);
  });

  afterEach(async () => {
    await svc.close();
  });

  const upload = (body: FormData, query = '') =>
    fetch(`${svc.url}/ingest/operator/csv${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });

  const nothingStored = () => {
    expect(svc.kg.entities('default')).toHaveLength(0);
    expect(svc.kg.imports().every((i) => i.status !== 'committed')).toBe(true);
  };

  it('takes data_type from the form and mode from the query, and the reverse', async () => {
    const csv = HEADER + row(1) + 'not-an-api,Bad,Op,654321,31.9,-102.1,03/01/2021\n';
    const formType = await upload(multipartForm({ data_type: 'wells' }, { content: csv }), '?mode=partial');
    expect(formType.status).toBe(201);
    expect(await formType.json()).toMatchObject({ data_type: 'wells', mode: 'partial', accepted_rows: 1 });

    const queryType = await upload(multipartForm({ mode: 'partial' }, { content: csv }), '?data_type=wells');
    expect(queryType.status).toBe(201);
    expect(await queryType.json()).toMatchObject({ data_type: 'wells', mode: 'partial', accepted_rows: 1 });
  });

  it('answers 422 naming a field given differently in the form and the query', async () => {
    const res = await upload(
      multipartForm({ data_type: 'wells', mode: 'partial' }, { content: HEADER + row(1) }),
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
          ['file', { content: HEADER + row(1) }],
          ['file', { content: HEADER + row(2) }],
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
        ['file', { content: HEADER + row(1) }],
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
        ['file', { content: HEADER + row(1) }],
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
        { content: HEADER + row(1, 'Permian Ridge', '"Well 1\r\nSouth  pad"') },
      ),
    );
    expect(res.status).toBe(201);
    expect(svc.kg.entities('default', 'Well')[0].properties).toMatchObject({ name: 'Well 1\nSouth pad' });
  });
});

describe('POST /ingest/operator/csv character sets', () => {
  let svc: TestIngestion;
  let token: string;

  beforeEach(async () => {
    svc = await startTestIngestion();
    token = await svc.token(['operator']);
  });

  afterEach(async () => {
    await svc.close();
  });

  const upload = (fields: Record<string, string>, content: Buffer, query = '') =>
    fetch(`${svc.url}/ingest/operator/csv${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: multipartForm({ data_type: 'wells', ...fields }, { content }),
    });
  const operatorName = () => svc.kg.entities('default', 'Operator')[0]?.properties.name;
  const latin1 = Buffer.from(
    HEADER + row(1, 'Peñasco Energía LLC') + row(2, 'Peñasco Energía LLC'),
    'latin1',
  );

  it('reads a Latin-1 file declared with charset=latin1 (field or query)', async () => {
    const res = await upload({ charset: 'latin1' }, latin1);
    expect(res.status).toBe(201);
    expect(operatorName()).toBe('Peñasco Energía LLC');

    const viaQuery = await upload({}, latin1, '?charset=windows-1252');
    expect(viaQuery.status).toBe(201);
  });

  it('answers 422 naming the line of the first undecodable byte, records the job failed, stores nothing', async () => {
    const res = await upload({}, latin1);
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
    const text = HEADER + row(1, 'Peñasco Energía LLC');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const content of [le, be, Buffer.from('\uFEFF' + text, 'utf8')]) {
      const res = await upload({}, content);
      expect(res.status).toBe(201);
      expect(operatorName()).toBe('Peñasco Energía LLC');
    }
  });

  it('answers 422 naming charset for an unknown one, before creating a job', async () => {
    for (const [fields, query] of [
      [{ charset: 'ebcdic' }, ''],
      [{}, '?charset=ebcdic'],
    ] as const) {
      const res = await upload(fields, latin1, query);
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
