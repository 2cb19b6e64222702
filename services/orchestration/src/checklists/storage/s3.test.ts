import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startFakeS3, type FakeS3 } from './fake-s3';
import { createS3ArtifactStorage, ObjectStoreError } from './s3';
import { spoolToFile } from './spool';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/key+value' };

describe('createS3ArtifactStorage', () => {
  let s3: FakeS3;
  let dir: string;
  beforeAll(async () => {
    s3 = await startFakeS3(credentials, 'us-east-1');
    dir = mkdtempSync(join(tmpdir(), 'aegis-s3-'));
  });
  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storage = (over: Partial<Parameters<typeof createS3ArtifactStorage>[0]> = {}) =>
    createS3ArtifactStorage({
      endpoint: s3.url,
      bucket: 'evidence',
      region: 'us-east-1',
      credentials,
      prefix: 'aegis/',
      ...over,
    });

  it('puts a spooled file with its hash, gets it back and deletes it (path style, signed)', async () => {
    const content = Buffer.from('gas analysis: CH4 78.1 %, CO2 1.2 %');
    const file = await spoolToFile(Readable.from([content]), {
      dir,
      maxBytes: 1024,
      mediaType: 'text/plain',
    });
    expect(file.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const s = storage();
    await s.put('tenant-a/chk-1/art 1', file);
    expect([...s3.objects.keys()]).toEqual(['/evidence/aegis/tenant-a/chk-1/art%201']);
    const body = await s.get('tenant-a/chk-1/art 1');
    const chunks: Buffer[] = [];
    for await (const c of body!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    await s.delete('tenant-a/chk-1/art 1');
    expect(s3.objects.size).toBe(0);
    expect(await s.get('tenant-a/chk-1/art 1')).toBeUndefined();
    await s.delete('tenant-a/chk-1/art 1');
  });

  it('fails with the status when the store refuses the signature (wrong secret)', async () => {
    const file = await spoolToFile(Readable.from([Buffer.from('x')]), {
      dir,
      maxBytes: 10,
      mediaType: 'text/plain',
    });
    const bad = storage({ credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'wrong' } });
    await expect(bad.put('k', file)).rejects.toEqual(new ObjectStoreError('PUT', 403));
    expect(s3.objects.size).toBe(0);
  });
});

describe('spoolToFile', () => {
  it('stops over the limit with a 413 and leaves no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-spool-'));
    try {
      await expect(
        spoolToFile(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), {
          dir,
          maxBytes: 1000,
          mediaType: 'x/y',
        }),
      ).rejects.toMatchObject({ status: 413, code: 'upload_too_large' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
