import type { Middleware } from 'koa';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { decodeUtf8, malformedStringPath, mayEscapeSurrogates } from '../util/text';

export interface JsonBodyOptions {
  /** Largest accepted body in bytes. */
  limitBytes?: number;
}

/** The deepest nesting of arrays and objects a JSON body may have (the platform's documented limit):
 * deeper bodies are refused before they are parsed, so no handler or validator recurses into them. */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` nests arrays/objects deeper than `max` (brackets inside strings do not count). A
 * string is skipped with indexOf to its closing quote (one not escaped by an odd run of backslashes):
 * most of a bulk body is string content, which then costs no per-character step here. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) return false; // unterminated: the parser reports it
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes += 1;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth -= 1;
  }
  return false;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads a JSON body into `ctx.request.body`: 415 for a non-JSON content type, 413 over the limit
 * (counted while reading, never buffered past it), 400 `invalid_encoding` for bytes that are not
 * UTF-8 (naming the offset), 422 for nesting deeper than MAX_JSON_DEPTH, 400 for malformed JSON, 422
 * `invalid_text` naming the field for a string or key that is not well-formed Unicode (a lone
 * surrogate escape such as `"\ud800"`). So no handler ever sees text it could not store faithfully. */
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
    const decoded = decodeUtf8(Buffer.concat(chunks));
    if (!decoded.ok) {
      throw new InputError(
        `Request body is not valid UTF-8: invalid byte at offset ${decoded.offset}`,
        'invalid_encoding',
      );
    }
    const text = decoded.text;
    if (text.trim() === '') {
      (ctx.request as { body?: unknown }).body = undefined;
      return next();
    }
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      throw ValidationError.single(
        ['body'],
        `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
        'nesting_too_deep',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InputError('Malformed JSON body', 'malformed_json');
    }
    const malformed = mayEscapeSurrogates(text) ? malformedStringPath(body) : undefined;
    if (malformed) {
      throw ValidationError.single(
        ['body', ...malformed],
        'must be well-formed Unicode text (it holds an unpaired surrogate)',
        'invalid_text',
      );
    }
    (ctx.request as { body?: unknown }).body = body;
    return next();
  };
}
