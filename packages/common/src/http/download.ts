import type { Readable } from 'node:stream';
import type { Context } from 'koa';

/** A stored file answered as a download. */
export interface Download {
  body: Buffer | Readable;
  /** Media type. */
  type: string;
  length: number;
  filename: string;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form (`filename*`). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Answers 200 with the bytes, their media type and length, `Content-Disposition: attachment`,
 * `Repr-Digest: sha-256=:<base64>:` (RFC 9530) so a client can check them, and `nosniff`.
 */
export function sendDownload(ctx: Context, file: Download): void {
  ctx.status = 200;
  ctx.type = file.type;
  ctx.length = file.length;
  ctx.set('Content-Disposition', contentDisposition(file.filename));
  ctx.set('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = file.body;
}
