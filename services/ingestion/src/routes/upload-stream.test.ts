import http from 'node:http';
import { Readable } from 'node:stream';
import { multipartForm, startTestIngestion, type TestIngestion } from '@aegis/testing/ingestion';

const HEADER = 'API No.,Well Name,Operator No.,Latitude,Longitude\n';
const row = (n: number, name = `Well ${n}`) =>
  `42-329-${String(10000 + (n % 89999)).padStart(5, '0')}-${String(Math.floor(n / 89999)).padStart(2, '0')},${name},${100000 + (n % 50)},31.9,-102.1\n`;

const BOUNDARY = '----aegis-test-boundary';

/** A chunked multipart request (no Content-Length) whose file is produced lazily, `rows` rows at a
 * time, so the server's reading pace is visible as `pulled` bytes. */
function streamingUpload(
  url: string,
  token: string,
  fields: Record<string, string>,
  rows: number,
): {
  response: Promise<{ status: number; body: Record<string, unknown> }>;
  pulled: () => number;
  total: number;
} {
  const head =
    Object.entries(fields)
      .map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n` +
    HEADER;
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  let next = 0;
  let pulled = 0;
  const perChunk = 200;
  const total =
    Buffer.byteLength(head) +
    Array.from({ length: rows }, (_, i) => Buffer.byteLength(row(i))).reduce((a, b) => a + b, 0) +
    Buffer.byteLength(tail);
  let started = false;
  const source = new Readable({
    read() {
      let chunk = '';
      if (!started) {
        started = true;
        chunk += head;
      }
      for (let k = 0; k < perChunk && next < rows; k += 1, next += 1) chunk += row(next);
      if (next >= rows && chunk === '') {
        this.push(tail);
        pulled += Buffer.byteLength(tail);
        this.push(null);
        return;
      }
      pulled += Buffer.byteLength(chunk);
      this.push(chunk);
    },
  });
  const response = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = http.request(
      `${url}/ingest/operator/csv`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    source.pipe(req);
  });
  return { response, pulled: () => pulled, total };
}

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('POST /ingest/operator/csv streaming', () => {
  let svc: TestIngestion;
  let token: string;

  afterEach(async () => {
    await svc.close();
  });

  it('stops reading the upload while the knowledge graph holds a batch (backpressure)', async () => {
    svc = await startTestIngestion({ config: { batchMaxItems: 700, maxUploadBytes: 512 * 1024 * 1024 } });
    token = await svc.token();
    let release!: () => void;
    svc.kg.gate = new Promise<void>((r) => (release = r));
    const upload = streamingUpload(svc.url, token, { data_type: 'wells' }, 400_000);
    await until('the first batch to reach the graph', () => svc.kg.stageRequests >= 1);
    // While the graph holds the first batch, reading must stall well before the end of the file
    // (what remains in flight is socket and stream buffers, a few MB).
    let last = -1;
    let stable = 0;
    await until('the upload to stall', () => {
      const now = upload.pulled();
      stable = now === last ? stable + 1 : 0;
      last = now;
      return stable >= 20;
    });
    expect(upload.pulled()).toBeLessThan(upload.total / 2);
    // Then the graph fails that batch: the upload is answered 502 and nothing is stored.
    svc.kg.failStageFrom = 1;
    release();
    const res = await upload.response;
    expect(res.status).toBe(502);
    expect(svc.kg.imports().map((i) => i.status)).toEqual(['discarded']);
    expect(svc.kg.entities('default')).toHaveLength(0);
  }, 60_000);

  it('keeps at most one batch in flight to the graph', async () => {
    svc = await startTestIngestion({ config: { batchMaxItems: 70 } });
    token = await svc.token();
    svc.kg.stageDelayMs = 2;
    const res = await streamingUpload(svc.url, token, { data_type: 'wells' }, 5000).response;
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ total_rows: 5000, accepted_rows: 5000 });
    expect(svc.kg.stageRequests).toBeGreaterThan(100);
    expect(svc.kg.maxConcurrentStages).toBe(1);
    expect(svc.kg.entities('default', 'Well')).toHaveLength(5000);
  });

  it('answers 413 when a chunked upload passes the limit, and discards what was staged', async () => {
    svc = await startTestIngestion({ config: { batchMaxItems: 70, maxUploadBytes: 64 * 1024 } });
    token = await svc.token();
    const upload = streamingUpload(svc.url, token, { data_type: 'wells' }, 5000);
    const res = await upload.response;
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      code: 'upload_too_large',
      job: { status: 'failed', failure: { code: 'upload_too_large' } },
    });
    expect(svc.kg.stageRequests).toBeGreaterThan(0);
    expect(svc.kg.imports().map((i) => i.status)).toEqual(['discarded']);
    expect(svc.kg.entities('default')).toHaveLength(0);
  });

  it('answers 413 at once for a declared Content-Length over the limit', async () => {
    svc = await startTestIngestion({ config: { maxUploadBytes: 4096 } });
    token = await svc.token();
    const content = HEADER + Array.from({ length: 200 }, (_, i) => row(i)).join('');
    const res = await fetch(`${svc.url}/ingest/operator/csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: multipartForm({ data_type: 'wells' }, { content }),
    });
    expect(res.status).toBe(413);
    expect(svc.kg.imports()).toHaveLength(0);
  });
});

describe('POST /ingest/operator/csv when the knowledge graph fails', () => {
  let svc: TestIngestion;
  let token: string;

  beforeEach(async () => {
    svc = await startTestIngestion({ config: { batchMaxItems: 70 } });
    token = await svc.token();
  });

  afterEach(async () => {
    await svc.close();
  });

  const upload = (content: string, mode = 'all_or_nothing') =>
    fetch(`${svc.url}/ingest/operator/csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: multipartForm({ data_type: 'wells', mode }, { content }),
    });
  const file = (n: number, bad?: number) =>
    HEADER + Array.from({ length: n }, (_, i) => row(i, i === bad ? 'Reject Me' : `Well ${i}`)).join('');

  it('maps a 422 of the graph back to the row and stores nothing (all_or_nothing)', async () => {
    svc.kg.rejectEntity = (e) =>
      e.properties.name === 'Reject Me' ? { field: 'name', msg: 'not allowed' } : undefined;
    const res = await upload(file(100, 42));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: { loc: unknown[]; msg: string }[] };
    // Row 44: header is row 1, data row i is row i + 2.
    expect(body.detail).toEqual([
      expect.objectContaining({
        loc: ['file', 'row', 44, 'name'],
        msg: 'rejected by the knowledge graph: not allowed',
      }),
    ]);
    expect(svc.kg.entities('default')).toHaveLength(0);
    expect(svc.kg.imports().every((i) => i.status === 'discarded')).toBe(true);
  });

  it('stores every other row of the rejected batch with mode=partial', async () => {
    svc.kg.rejectEntity = (e) =>
      e.properties.name === 'Reject Me' ? { field: 'name', msg: 'not allowed' } : undefined;
    const res = await upload(file(100, 42), 'partial');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      accepted_rows: 99,
      rejected_rows: 1,
      errors: [expect.objectContaining({ row: 44 })],
    });
    expect(svc.kg.entities('default', 'Well')).toHaveLength(99);
  });

  it('answers 502 and discards the import when the graph fails mid-file', async () => {
    svc.kg.failStageFrom = 3;
    const res = await upload(file(300));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'knowledge_graph_error', job: { status: 'failed' } });
    expect(svc.kg.imports().map((i) => i.status)).toEqual(['discarded']);
    expect(svc.kg.entities('default')).toHaveLength(0);
  });

  it('answers 502 when the graph is unreachable', async () => {
    await svc.kg.close();
    const res = await upload(file(3));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'knowledge_graph_unavailable' });
  });
});
