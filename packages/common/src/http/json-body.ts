import type { Middleware } from 'koa';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';

export interface JsonBodyOptions {
  /** Largest accepted body in bytes. */
  limitBytes?: number;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads a JSON body into `ctx.request.body`: 415 for a non-JSON content type, 413 over the limit
 * (counted while reading, never buffered past it), 400 for malformed JSON. An empty body is `{}`
 * only when no content was sent. */
export function jsonBody(options: JsonBodyOptions = {}): Middleware {
  const limit = options.limitBytes ?? 1024 * 1024;
  return async function jsonBodyMiddleware(ctx, next) {
    const req = ctx.req;
    const length = Number(ctx.get('content-length') || 0);
    const hasBody = METHODS_WITH_BODY.has(ctx.method) && (length > 0 || ctx.get('transfer-encoding') !== '');
    if (!hasBody) {
      (ctx.request as { body?: unknown }).body = undefined;
      return next();
    }
    if (!ctx.is('application/json', 'application/*+json')) {
      throw new UnsupportedMediaTypeError('Content-Type must be application/json');
    }
    if (length > limit) throw new PayloadTooLargeError(`Request body exceeds ${limit} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        throw new PayloadTooLargeError(`Request body exceeds ${limit} bytes`);
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') {
      (ctx.request as { body?: unknown }).body = undefined;
      return next();
    }
    try {
      (ctx.request as { body?: unknown }).body = JSON.parse(text);
    } catch {
      throw new InputError('Malformed JSON body', 'malformed_json');
    }
    return next();
  };
}
