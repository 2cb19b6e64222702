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

  /** Moves over `text` up to `upTo`, a line break at a time (no work per character). */
  advance(text: string, upTo = text.length): void {
    if (upTo <= 0) return;
    let from = 0;
    let lastBreak = -1;
    // A \r\n split between two chunks is one break: its \n only returns to column 1.
    if (this.afterCr && text.charCodeAt(0) === 0x0a) {
      lastBreak = 0;
      from = 1;
    }
    LINE_BREAK.lastIndex = from;
    for (let m = LINE_BREAK.exec(text); m !== null && m.index < upTo; m = LINE_BREAK.exec(text)) {
      this.line += 1;
      lastBreak = Math.min(m.index + m[0].length, upTo) - 1;
    }
    this.column = lastBreak < 0 ? this.column + upTo : upTo - lastBreak;
    this.afterCr = text.charCodeAt(upTo - 1) === 0x0d;
  }
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** Decodes an upload chunk by chunk (to hand the text to the CSV reader). */
export interface UploadDecoder {
  /** The text of `bytes` (a character split between chunks comes out with the next one). */
  write(bytes: Buffer): string;
  /** The text still held at the end of the input. */
  end(): string;
}

/**
 * Decodes an upload as it streams: the declared charset (UTF-8 by default), or the one a byte-order
 * mark announces (the mark is dropped). Bytes that are not valid in that charset stop the upload
 * with a 422 naming the line and column of the first of them, so nothing is ever stored with
 * replacement characters.
 */
export function uploadDecoder(charset: Charset = 'utf-8'): UploadDecoder {
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

  const decode = (bytes: Buffer | undefined): string => {
    const final = bytes === undefined;
    let text: string;
    try {
      text = strict.decode(bytes, { stream: !final });
    } catch {
      throw invalid(lenient.decode(bytes, { stream: !final }));
    }
    lenient.decode(bytes, { stream: !final });
    position.advance(text);
    return text;
  };

  const start = (bytes: Buffer): string => {
    encoding = sniffBom(bytes) ?? encoding;
    strict = new TextDecoder(encoding, { fatal: true });
    lenient = new TextDecoder(encoding);
    head = undefined;
    return decode(bytes);
  };

  return {
    write(chunk) {
      if (!head) return decode(chunk);
      const joined = Buffer.concat([head, chunk]);
      if (joined.length < 3) {
        head = joined;
        return '';
      }
      return start(joined);
    },
    end() {
      const text = head ? start(head) : '';
      return text + decode(undefined);
    },
  };
}
