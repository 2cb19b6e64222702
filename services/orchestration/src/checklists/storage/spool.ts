import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError } from '@aegis/common';
import type { SpooledFile } from './types';

/** The 413 of an artifact over the limit (the same code as the multipart reader's). */
export function artifactTooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The artifact exceeds ${maxBytes} bytes`, 'upload_too_large');
}

/**
 * Streams `body` into a new file under `dir`, counting and hashing (SHA-256) on the way, so the file is
 * never held in memory. Over `maxBytes` it stops with a 413; on any failure (the limit, `signal`
 * aborted, a read or write error) the partial file is removed before the error is rethrown.
 */
export async function spoolToFile(
  body: Readable,
  options: { dir: string; maxBytes: number; mediaType: string; signal?: AbortSignal },
): Promise<SpooledFile> {
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, `upload-${randomBytes(12).toString('hex')}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > options.maxBytes) {
        cb(artifactTooLarge(options.maxBytes));
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  // Opened before anything flows: a write stream opens its file asynchronously, so a limit tripped by
  // the first chunk could otherwise remove the file before it exists, and the open would then leave it.
  const out = createWriteStream(path, { flags: 'wx' });
  await once(out, 'ready');
  // The source is piped rather than part of the pipeline: a pipeline would destroy it on failure, and
  // a multipart part stream must be read to its end (discarded) for the rest of the form to arrive.
  const written = pipeline(meter, out, { signal: options.signal });
  const onSourceError = (err: Error) => meter.destroy(err);
  body.once('error', onSourceError);
  body.pipe(meter);
  try {
    await written;
  } catch (err) {
    body.unpipe(meter);
    body.resume();
    await rm(path, { force: true });
    // An abort carries the reader's reason (413, malformed form, client gone): report that.
    if (options.signal?.aborted && options.signal.reason instanceof Error) throw options.signal.reason;
    throw err;
  } finally {
    body.off('error', onSourceError);
  }
  return { path, size, sha256: hash.digest('hex'), mediaType: options.mediaType };
}
