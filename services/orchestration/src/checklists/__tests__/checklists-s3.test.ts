import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeS3, type FakeS3 } from '../storage/fake-s3';
import { createS3ArtifactStorage } from '../storage/s3';
import { countRows, fileForm, operator, startHarness, viewer, WELL_API, type Harness } from './harness';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('checklist artifacts in an S3-compatible store', () => {
  let s3: FakeS3;
  let h: Harness;
  let spool: string;
  beforeAll(async () => {
    s3 = await startFakeS3(credentials, 'eu-west-1');
    h = await startHarness('sqlite::memory:', {
      artifacts: (dir) => {
        spool = join(dir, 'spool');
        return {
          storage: createS3ArtifactStorage({
            endpoint: s3.url,
            bucket: 'aegis',
            region: 'eu-west-1',
            credentials,
          }),
          spoolDir: spool,
        };
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await s3.close();
  });

  const upload = async (id: string, content: Buffer | string) =>
    fetch(`${h.base}/checklists/${id}/items/7/artifacts`, {
      method: 'POST',
      headers: await h.headers(operator),
      body: fileForm(content, 'gas-analysis.csv', 'text/csv'),
    });

  it('uploads to the bucket (hash checked by the store), downloads and deletes it', async () => {
    const created = await h.request(operator, 'POST', '/checklists', {
      template_id: 'r32-flaring-exception',
      entity_id: WELL_API,
    });
    const id = created.body.checklist_id as string;
    const content = 'component,mol_pct\nCH4,78.1\nCO2,1.2\n';
    const res = await upload(id, content);
    expect(res.status).toBe(201);
    const art = (await res.json()) as { artifact_id: string; sha256: string; content_url: string };
    expect(art.sha256).toBe(sha256(content));
    const key = `/aegis/tenant-a/${id}/${art.artifact_id}`;
    expect(s3.objects.get(key)?.body.toString()).toBe(content);
    expect(readdirSync(spool)).toEqual([]);
    const dl = await fetch(`${h.base}${art.content_url}`, { headers: await h.headers(viewer) });
    expect(dl.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await dl.text()).toBe(content);
    const del = await h.request(operator, 'DELETE', `/checklists/${id}/items/7/artifacts/${art.artifact_id}`);
    expect(del.status).toBe(204);
    expect(s3.objects.has(key)).toBe(false);
  });

  it('answers 413 over the limit: nothing reaches the bucket, no record, no spool file', async () => {
    const created = await h.request(operator, 'POST', '/checklists', {
      template_id: 'r32-flaring-exception',
      entity_id: WELL_API,
    });
    const puts = s3.requests.filter((r) => r.method === 'PUT').length;
    const before = await countRows(h.store, 'checklist_artifacts');
    const res = await upload(created.body.checklist_id as string, Buffer.alloc(64 * 1024 + 1, 7));
    expect(res.status).toBe(413);
    expect(s3.requests.filter((r) => r.method === 'PUT')).toHaveLength(puts);
    expect(await countRows(h.store, 'checklist_artifacts')).toBe(before);
    expect(readdirSync(spool)).toEqual([]);
  });
});
