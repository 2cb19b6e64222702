/**
 * The CSV state machine behind `readCsv`: text in (decoded chunks, split anywhere), records and
 * malformed records out, synchronously. Pure, no I/O.
 *
 * It reads files the way csv-parse did with the options ingestion used (`,` and `"`, a doubled quote
 * inside quotes, `\r\n`, `\n` or `\r` between records, blank lines skipped, a record with an error
 * skipped and reported): the same records, the same row and line numbers, the same reasons, checked
 * against csv-parse on generated input in csv-parser.test.ts. What it adds is speed: a line with no
 * quote, ending in \n or \r\n (nearly every line of a real file), is cut with one `split`, only the
 * rest goes character by character. One difference, on purpose: after a record over the size limit,
 * csv-parse dropped the rest of its input chunk (and so silently lost the following rows); here the
 * oversized record is reported once and reading goes on with the next record.
 */

/** One record of the file. `row` is its spreadsheet row number (the header is row 1, a malformed
 * record takes a number too); `line` the physical line where it starts. */
export interface CsvRecord {
  row: number;
  line: number;
  cells: string[];
}

export interface MalformedRecord {
  row: number;
  line: number;
  reason: string;
}

export interface CsvParserOptions {
  /** Largest record (the record's finished fields in characters plus the current one in bytes, as
   * csv-parse counted). */
  maxRecordBytes: number;
  onRecord(record: CsvRecord): void;
  onMalformed(record: MalformedRecord): void;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
/** Characters of look-ahead the quote and record-delimiter rules may need (csv-parse waits as long). */
const LOOK_AHEAD = 3;

type ErrorCode = 'closing_quote' | 'opening_quote' | 'too_large' | 'quote_not_closed';

const REASONS: Readonly<Record<ErrorCode, string>> = {
  quote_not_closed: 'unbalanced quotes: a quoted field is still open at the end of the file',
  closing_quote: 'malformed quotes: a closing quote is not followed by a delimiter',
  opening_quote: 'malformed quotes: a quote inside an unquoted field',
  too_large: 'record too large',
};

/** UTF-8 bytes of one UTF-16 code unit (a surrogate is half of a 4-byte character). */
const utf8Units = (c: number) => (c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3);

export class CsvParser {
  private pending = '';
  private started = false;
  // csv-parse's counters: the current line, records emitted, blank lines skipped.
  private lines = 1;
  private records = 0;
  private emptyLines = 0;
  // State of the record being read.
  private quoting = false;
  private wasQuoting = false;
  private escaping = false;
  private wasRowDelimiter = false;
  private field = '';
  private fieldBytes = 0;
  private record: string[] = [];
  private recordLength = 0;
  private recordHasError = false;
  private tooLarge = false;
  // Row and line numbering across skipped records.
  private skips = 0;
  private lastEnd = 0;
  private lastEmpty = 0;
  private lastSkipRecords = -1;
  private lastSkipLines = -1;

  constructor(private readonly options: CsvParserOptions) {}

  /** Parses a chunk of text; records that end in it are emitted. */
  push(text: string): void {
    this.parse(this.pending.length > 0 ? this.pending + text : text, false);
  }

  /** The end of the input: the last record (or the open quote) is settled. */
  end(): void {
    this.parse(this.pending, true);
  }

  private startLine(): number {
    const start = this.lastEnd + 1 + (this.emptyLines - this.lastEmpty);
    this.lastEnd = this.lines;
    this.lastEmpty = this.emptyLines;
    return start;
  }

  private emit(cells: string[]): void {
    this.records += 1;
    this.options.onRecord({ row: this.records + this.skips, line: this.startLine(), cells });
  }

  private fail(code: ErrorCode): void {
    this.recordHasError = true;
    // One broken record can raise several errors on the same line: report it once.
    if (this.lastSkipRecords === this.records && this.lastSkipLines === this.lines) return;
    this.lastSkipRecords = this.records;
    this.lastSkipLines = this.lines;
    this.skips += 1;
    const line = this.startLine();
    let reason = REASONS[code];
    if (code === 'too_large') reason += ` (over ${this.options.maxRecordBytes} bytes)`;
    else if (code === 'quote_not_closed') reason += ` (lines ${line}–${this.lines} could not be read)`;
    else reason += ` at line ${this.lines}`;
    this.options.onMalformed({ row: this.records + this.skips, line, reason });
  }

  private endField(): void {
    this.record.push(this.field);
    this.recordLength += this.field.length;
    this.field = '';
    this.fieldBytes = 0;
    this.wasQuoting = false;
  }

  private endRecord(): void {
    const cells = this.record;
    this.record = [];
    this.recordLength = 0;
    if (this.recordHasError) {
      this.recordHasError = false;
      this.tooLarge = false;
      return;
    }
    this.emit(cells);
  }

  private parse(text: string, end: boolean): void {
    const len = text.length;
    let pos = 0;
    if (!this.started) {
      if (len === 0 && !end) return;
      if (text.charCodeAt(0) === 0xfeff) pos = 1;
      this.started = true;
    }
    const max = this.options.maxRecordBytes;
    let nextQuote = -2;
    let nextCr = -2;
    while (pos < len) {
      // Fast path: at the start of a record, a whole line without quotes (ending in \n or \r\n).
      if (!this.quoting && !this.wasQuoting && this.fieldBytes === 0 && this.record.length === 0) {
        const nl = text.indexOf('\n', pos);
        if (nl >= 0 && (nl - pos) * 3 <= max) {
          if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
          if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
          // The line may end with \r\n (one record delimiter), but hold no other carriage return.
          const end = nextCr >= pos && nextCr === nl - 1 ? nextCr : nl;
          if ((nextQuote === -1 || nextQuote > nl) && (nextCr === -1 || nextCr >= end)) {
            if (this.wasRowDelimiter) this.lines += 1;
            this.wasRowDelimiter = true;
            if (end === pos) this.emptyLines += 1;
            else this.emit(text.slice(pos, end).split(','));
            pos = nl + 1;
            continue;
          }
        }
      }
      if (!end && len - pos - 1 < LOOK_AHEAD) break;
      pos = this.step(text, pos, len);
    }
    if (!end) {
      this.pending = pos < len ? text.slice(pos) : '';
      return;
    }
    this.pending = '';
    if (this.quoting) {
      this.fail('quote_not_closed');
    } else if (this.wasQuoting || this.record.length !== 0 || this.fieldBytes !== 0) {
      this.endField();
      this.endRecord();
    } else if (this.wasRowDelimiter) {
      this.emptyLines += 1;
    }
    if (this.wasRowDelimiter) {
      this.lines += 1;
      this.wasRowDelimiter = false;
    }
  }

  /** One character, as csv-parse's loop takes it; returns the next position. */
  private step(text: string, pos: number, len: number): number {
    const c = text.charCodeAt(pos);
    if (this.wasRowDelimiter) {
      this.lines += 1;
      this.wasRowDelimiter = false;
    }
    if (c === CR || c === LF) this.wasRowDelimiter = true;
    if (this.escaping) {
      this.escaping = false;
    } else {
      if (c === QUOTE) {
        if (this.quoting) {
          const next = text.charCodeAt(pos + 1);
          // A doubled quote inside quotes is one quote (the second is taken as text).
          if (next === QUOTE && pos + 1 < len) {
            this.escaping = true;
            return pos + 1;
          }
          // csv-parse closes on a following NUL byte too (`!nextChr`).
          if (!(next > 0) || next === COMMA || next === CR || next === LF) {
            this.quoting = false;
            this.wasQuoting = true;
            return pos + 1;
          }
          this.fail('closing_quote');
        } else if (this.fieldBytes !== 0) {
          this.fail('opening_quote');
        } else {
          this.quoting = true;
          return pos + 1;
        }
      }
      if (!this.quoting) {
        if (c === CR || c === LF) {
          const delimiter = c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
          if (!this.wasQuoting && this.record.length === 0 && this.fieldBytes === 0) {
            this.emptyLines += 1;
          } else {
            this.endField();
            this.endRecord();
          }
          return pos + delimiter;
        }
        if (c === COMMA) {
          this.endField();
          return pos + 1;
        }
      }
    }
    const bytes = utf8Units(c);
    if (!this.tooLarge && this.recordLength + this.fieldBytes + bytes - 1 > this.options.maxRecordBytes) {
      // Past the limit the record is only scanned for its end, its text no longer kept.
      this.tooLarge = true;
      this.fail('too_large');
    }
    this.fieldBytes += bytes;
    if (!this.tooLarge) this.field += text[pos];
    return pos + 1;
  }
}
