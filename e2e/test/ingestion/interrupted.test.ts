import fs from 'node:fs';
import {
  startAuthService,
  startLocalService,
  startedSet,
  tempDir,
  type RunningService,
} from '@aegis/testing';

/**
 * Ingestion processes that die mid-upload, as processes over one job store: the job a dead process
 * left `running` is marked failed (`interrupted`) by the next start once its lease lapsed, nothing of
 * its import is visible in the knowledge graph, and a job a live replica runs is never touched.
 */

const LEASE_MS = 600;
const HEADER = 'API No.,Well Name,Operator Name,Operator No.,Lat,Long,Spud Date\n';
const row = (n: number) =>
  `42-329-${String(30000 + n).padStart(5, '0')},Well ${n},Permian Ridge Operating LLC,654321,31.9,-102.1,03/01/2021\n`;

interface Job {
  job_id: string;
  status: string;
  failure: { code: string; detail: string } | null;
}

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ingestion jobs whose process died', () => {
  const running = startedSet();
  let dir: string;
  let token: string;
  let kgUrl: string;
  let authUrl: string;
  /** Jobs a test already looked at (the next stalled upload's job is another one). */
  const seen = new Set<string>();

  const startIngestion = async () =>
    running.started(
      await startLocalService('ingestion', {
        dataDir: dir,
        authUrl,
        env: { KNOWLEDGE_GRAPH_URL: kgUrl, JOB_LEASE_MS: String(LEASE_MS), BATCH_MAX_ITEMS: '50' },
      }),
    );

  beforeAll(async () => {
    dir = tempDir('ingestion-interrupted');
    const auth = running.started(await startAuthService(dir));
    authUrl = auth.url;
    const kg = running.started(
      await startLocalService('knowledge-graph', { dataDir: dir, authUrl, env: { SEED_DEMO_DATA: 'false' } }),
    );
    kgUrl = kg.url;
    const res = await fetch(`${authUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@aegis.local', password: 'aegis-dev-admin' }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  }, 120_000);

  afterAll(async () => {
    await running.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const get = async <T>(url: string) =>
    (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as T;

  /** Starts an upload whose body sends `rows` rows and then stalls (never ends); returns its job. */
  const stalledUpload = async (svc: RunningService, rows: number) => {
    const boundary = '----aegis-interrupted';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="data_type"\r\n\r\nwells\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="w.csv"\r\n` +
      `Content-Type: text/csv\r\n\r\n${HEADER}${Array.from({ length: rows }, (_, i) => row(i + 1)).join('')}`;
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) controller.enqueue(new TextEncoder().encode(head));
        sent = true;
        return new Promise(() => undefined); // the rest never comes
      },
    });
    const request = fetch(`${svc.url}/ingest/operator/csv`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: 'half',
    });
    request.catch(() => undefined); // the process dies under it
    return poll('the running job', async () => {
      const list = await get<{ data: Job[] }>(`${svc.url}/ingest/jobs?status=running`);
      return list.data.find((j) => !seen.has(j.job_id));
    });
  };

  it('marks the job of a killed process interrupted after restart and leaves none of its rows', async () => {
    // GIVEN an upload whose first batches are staged in the knowledge graph
    const first = await startIngestion();
    const job = await stalledUpload(first, 400);
    seen.add(job.job_id);
    await new Promise((r) => setTimeout(r, 1_000)); // the batches of 400 rows reach the graph

    // WHEN the process is killed and another one starts on the same job store
    first.process.signal('SIGKILL');
    await poll('the exit', async () => (first.process.exited() ? true : undefined));
    const second = await startIngestion();

    // THEN the job is failed (interrupted) and the graph holds none of its rows
    const after = await poll('the interrupted job', async () => {
      const j = await get<Job>(`${second.url}/ingest/jobs/${job.job_id}`);
      return j.status === 'running' ? undefined : j;
    });
    expect(after).toMatchObject({
      status: 'failed',
      failure: { code: 'interrupted', detail: expect.stringContaining('Nothing of it was stored') },
    });
    expect(await get<{ total: number }>(`${kgUrl}/entities/Well?page_size=1`)).toMatchObject({ total: 0 });
    expect(await get<{ total: number }>(`${kgUrl}/entities/Operator?page_size=1`)).toMatchObject({
      total: 0,
    });

    // AND a replica started while the second process runs an upload leaves that job alone
    const live = await stalledUpload(second, 10);
    seen.add(live.job_id);
    await startIngestion();
    await new Promise((r) => setTimeout(r, LEASE_MS * 3));
    expect(await get<Job>(`${second.url}/ingest/jobs/${live.job_id}`)).toMatchObject({
      status: 'running',
      failure: null,
    });
  }, 90_000);
});
