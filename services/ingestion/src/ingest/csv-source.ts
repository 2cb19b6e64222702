import type { Readable } from 'node:stream';
import { parse, type CsvError, type Info, type InfoRecord, type Options } from 'csv-parse';

/**
 * A streaming CSV reader over csv-parse: records come out one at a time as the input arrives, so a
 * file of any length is never held in memory; the parser stops reading the input while the consumer
 * is busy (stream backpressure). Records that cannot be parsed (unbalanced or stray quotes, a record
 * over the size limit) are reported through `onMalformed` and skipped; reading goes on.
 *
 * Row numbers are spreadsheet row numbers: the header is row 1, the first data record row 2, and a
 * malformed record takes a row number too. `line` is the physical line where the record starts.
 */
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

export interface CsvSourceOptions {
  /** Largest record in bytes (bounds memory for a never-closed quote). */
  maxRecordBytes: number;
  onMalformed(record: MalformedRecord): void;
  /** Aborting stops reading: the iteration throws the abort reason. */
  signal?: AbortSignal;
}

const REASONS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'unbalanced quotes: a quoted field is still open at the end of the file',
  CSV_INVALID_CLOSING_QUOTE: 'malformed quotes: a closing quote is not followed by a delimiter',
  INVALID_OPENING_QUOTE: 'malformed quotes: a quote inside an unquoted field',
  CSV_MAX_RECORD_SIZE: 'record too large',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'malformed quotes: text after a closing quote',
};

function reasonFor(err: CsvError, maxRecordBytes: number, startLine: number): string {
  const base = REASONS[err.code];
  if (err.code === 'CSV_MAX_RECORD_SIZE') return `${base} (over ${maxRecordBytes} bytes)`;
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    // Everything after the open quote is inside it: say which lines could not be read.
    const end = (err as unknown as Info).lines;
    return `${base} (lines ${startLine}–${end} could not be read)`;
  }
  const where = / at line \d+/.exec(err.message)?.[0] ?? '';
  return base ? `${base}${where}` : `malformed CSV: ${err.message}`;
}

/** Reads `input` as CSV. The returned iterable yields the header record first. */
export function readCsv(input: Readable, options: CsvSourceOptions): AsyncIterable<CsvRecord> {
  // Parse order is kept here, in the synchronous callbacks; the iterator sees records later.
  let skips = 0;
  let lastEnd = 0;
  let lastEmpty = 0;
  let lastSkip: { records: number; lines: number } | undefined;
  const startLine = (info: Pick<Info, 'lines' | 'empty_lines'>) => {
    const start = lastEnd + 1 + (info.empty_lines - lastEmpty);
    lastEnd = info.lines;
    lastEmpty = info.empty_lines;
    return start;
  };
  const parser = parse({
    bom: true,
    // Files mix line endings more often than one would hope.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: options.maxRecordBytes,
    // Records come out as CsvRecord objects (csv-parse's types assume arrays).
    on_record: ((cells: string[], context: InfoRecord): CsvRecord => ({
      row: context.records + skips,
      line: startLine(context),
      cells,
    })) as unknown as Options['on_record'],
    on_skip: (err: CsvError | undefined): undefined => {
      if (!err) return undefined;
      const info = err as unknown as Info;
      // One broken record can raise several errors on the same line: report it once.
      if (lastSkip && lastSkip.records === info.records && lastSkip.lines === info.lines) return undefined;
      lastSkip = { records: info.records, lines: info.lines };
      skips += 1;
      const line = startLine(info);
      options.onMalformed({
        row: info.records + skips,
        line,
        reason: reasonFor(err, options.maxRecordBytes, line),
      });
      return undefined;
    },
  });
  // The input is piped, not pipelined: when reading stops early the input is unpiped and drained
  // rather than destroyed (a multipart file stream must be read to its end for the form to finish).
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  const onAbort = () => parser.destroy(options.signal?.reason as Error);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  return {
    async *[Symbol.asyncIterator]() {
      let complete = false;
      try {
        for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
        complete = true;
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        if (!complete) {
          input.unpipe(parser);
          if (!parser.destroyed) parser.destroy();
          input.resume();
        }
      }
    },
  };
}
