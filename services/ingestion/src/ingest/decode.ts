import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { FileRejectedError } from './errors';

/**
 * Character sets an upload may declare (`charset`), by the name a client gives. Latin-1 is read as
 * Windows-1252, as browsers and the WHATWG Encoding standard do: the two differ only in 0x80–0x9F,
 * where Latin-1 has invisible control characters and Windows-1252 the €, curly quotes and dashes
 * spreadsheets actually write.
 */
export const CHARSETS = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  latin1: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
} as const;

export type Charset = keyof typeof CHARSETS;
type Encoding = (typeof CHARSETS)[Charset];

export const CHARSET_NAMES = Object.keys(CHARSETS) as Charset[];

export function isCharset(value: string): value is Charset {
  return Object.hasOwn(CHARSETS, value);
}

/** The encoding a byte-order mark announces (it wins over the declared charset, as in WHATWG decode). */
function sniffBom(head: Buffer): Encoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Where a text position falls, counting line breaks as the CSV reader does (\r\n, \n or \r). */
class Position {
  line = 1;
  column = 1;
  private afterCr = false;

  advance(text: string, upTo = text.length): void {
    for (let i = 0; i < upTo; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        if (!this.afterCr) this.line += 1;
        this.column = 1;
        this.afterCr = false;
      } else if (c === 0x0d) {
        this.line += 1;
        this.column = 1;
        this.afterCr = true;
      } else {
        this.column += 1;
        this.afterCr = false;
      }
    }
  }
}

/**
 * Decodes an upload to UTF-8 as it streams: the declared charset (UTF-8 by default), or the one a
 * byte-order mark announces (the mark is dropped). Bytes that are not valid in that charset stop the
 * stream with a 422 naming the line and column of the first of them, so nothing is ever stored with
 * replacement characters.
 */
export function decodeUpload(charset: Charset = 'utf-8'): Transform {
  let head: Buffer | undefined = Buffer.alloc(0);
  let encoding: Encoding = CHARSETS[charset];
  let strict: TextDecoder;
  // Decodes the same bytes with replacement characters: only to find where the strict one failed.
  let lenient: TextDecoder;
  const position = new Position();

  const invalid = (text: string) => {
    const at = text.indexOf('\uFFFD');
    position.advance(text, at < 0 ? text.length : at);
    return FileRejectedError.of(
      `the file is not valid ${encoding} text at line ${position.line}, column ${position.column}; ` +
        'declare its character set with the charset field',
      'invalid_encoding',
      ['file', 'line', position.line],
    );
  };

  const decode = (self: Transform, bytes: Buffer | undefined): void => {
    const final = bytes === undefined;
    let text: string;
    try {
      text = strict.decode(bytes, { stream: !final });
    } catch {
      throw invalid(lenient.decode(bytes, { stream: !final }));
    }
    lenient.decode(bytes, { stream: !final });
    position.advance(text);
    if (text.length > 0) self.push(Buffer.from(text, 'utf8'));
  };

  const start = (self: Transform, bytes: Buffer): void => {
    encoding = sniffBom(bytes) ?? encoding;
    strict = new TextDecoder(encoding, { fatal: true });
    lenient = new TextDecoder(encoding);
    head = undefined;
    decode(self, bytes);
  };

  return new Transform({
    transform(this: Transform, chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      try {
        if (head) {
          const joined = Buffer.concat([head, chunk]);
          if (joined.length < 3) head = joined;
          else start(this, joined);
        } else {
          decode(this, chunk);
        }
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(this: Transform, cb: TransformCallback) {
      try {
        if (head) start(this, head);
        decode(this, undefined);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}
