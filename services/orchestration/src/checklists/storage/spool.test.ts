import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spoolToFile } from './spool';

describe('spoolToFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves no partial file when the first chunk is already over the limit', async () => {
    // The limit trips before the spool file has finished opening: its removal must not come first.
    for (let i = 0; i < 50; i += 1) {
      await expect(
        spoolToFile(Readable.from([Buffer.alloc(65)]), { dir, maxBytes: 64, mediaType: 'application/pdf' }),
      ).rejects.toMatchObject({ status: 413, code: 'upload_too_large' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a file within the limit, with its size and hash', async () => {
    const file = await spoolToFile(Readable.from([Buffer.from('abc')]), {
      dir,
      maxBytes: 64,
      mediaType: 'text/plain',
    });
    expect(file).toMatchObject({
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      mediaType: 'text/plain',
    });
    expect(readdirSync(dir)).toEqual([file.path.slice(dir.length + 1)]);
  });
});
