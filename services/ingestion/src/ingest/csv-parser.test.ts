import { parse, type CsvError, type Info, type InfoRecord, type Options } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvParser, type CsvRecord, type MalformedRecord } from './csv-parser';

/** The reader ingestion used before (csv-parse with these options and this numbering): the parser
 * must read every input the same way. */
function oracle(text: string, maxRecordBytes: number) {
  const records: CsvRecord[] = [];
  const malformed: MalformedRecord[] = [];
  /** The row of the first record over the size limit (reported or not: a second error on a line
   * is not), after which csv-parse dropped the rest of its input. */
  let tooLargeRow: number | undefined;
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
  const REASONS: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'unbalanced quotes: a quoted field is still open at the end of the file',
    CSV_INVALID_CLOSING_QUOTE: 'malformed quotes: a closing quote is not followed by a delimiter',
    INVALID_OPENING_QUOTE: 'malformed quotes: a quote inside an unquoted field',
    CSV_MAX_RECORD_SIZE: 'record too large',
  };
  parse(Buffer.from(text), {
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: maxRecordBytes,
    on_record: (cells: string[], context: InfoRecord) => {
      records.push({ row: context.records + skips, line: startLine(context), cells });
      return null;
    },
    on_skip: (err: CsvError | undefined): undefined => {
      if (!err) return undefined;
      const info = err as unknown as Info;
      const repeated = lastSkip && lastSkip.records === info.records && lastSkip.lines === info.lines;
      if (!repeated) skips += 1;
      if (err.code === 'CSV_MAX_RECORD_SIZE') tooLargeRow ??= info.records + skips;
      if (repeated) return undefined;
      lastSkip = { records: info.records, lines: info.lines };
      const line = startLine(info);
      const base = REASONS[err.code];
      let reason = `${base}${/ at line \d+/.exec(err.message)?.[0] ?? ''}`;
      if (err.code === 'CSV_MAX_RECORD_SIZE') reason = `${base} (over ${maxRecordBytes} bytes)`;
      if (err.code === 'CSV_QUOTE_NOT_CLOSED')
        reason = `${base} (lines ${line}–${info.lines} could not be read)`;
      malformed.push({ row: info.records + skips, line, reason });
      return undefined;
    },
  } as Options);
  return { records, malformed, tooLargeRow };
}

function read(chunks: readonly string[], maxRecordBytes = 1 << 20) {
  const records: CsvRecord[] = [];
  const malformed: MalformedRecord[] = [];
  const parser = new CsvParser({
    maxRecordBytes,
    onRecord: (r) => records.push(r),
    onMalformed: (m) => malformed.push(m),
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { records, malformed };
}

/** Cuts text at arbitrary points (never inside a surrogate pair: the decoder hands over whole
 * characters). */
function cut(text: string, points: readonly number[]): string[] {
  const chars = [...text];
  const at = [...new Set(points.map((p) => p % (chars.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of at) {
    out.push(chars.slice(last, p).join(''));
    last = p;
  }
  out.push(chars.slice(last).join(''));
  return out;
}

const TRICKY = fc.constantFrom(
  'a',
  'b',
  'x y',
  ',',
  ',',
  '"',
  '"',
  '""',
  '\n',
  '\n',
  '\r\n',
  '\r',
  ' ',
  'é',
  '€',
  '😀',
  '\uFEFF',
  '\0',
  '12.5',
  '03/01/2024',
);

describe('CsvParser', () => {
  it('reads any input as csv-parse did: records, row and line numbers, malformed records and reasons', () => {
    fc.assert(
      fc.property(
        fc.array(TRICKY, { maxLength: 60 }).map((parts) => parts.join('')),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, points) => {
          const { records, malformed } = oracle(text, 1 << 20);
          expect(read(cut(text, points))).toEqual({ records, malformed });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads well-formed files with quoted fields, CRLF, BOM, blank lines and embedded newlines alike', () => {
    const text =
      '\uFEFFAPI No.,Well Name,Spud Date\r\n' +
      '42-329-00001,"SMITH ""A"" 1H",03/01/2024\r\n' +
      '\r\n' +
      '42-329-00002,"two\r\nlines",\r\n' +
      ',,\r\n' +
      '42-329-00003,,not a date\n' +
      '42-329-00004,"",2024-13-01';
    const { records, malformed } = read(cut(text, [7, 40, 41, 90]));
    expect(malformed).toEqual([]);
    expect(records).toEqual([
      { row: 1, line: 1, cells: ['API No.', 'Well Name', 'Spud Date'] },
      { row: 2, line: 2, cells: ['42-329-00001', 'SMITH "A" 1H', '03/01/2024'] },
      { row: 3, line: 4, cells: ['42-329-00002', 'two\r\nlines', ''] },
      // A \r\n inside quotes counts two lines, as csv-parse counted them.
      { row: 4, line: 7, cells: ['', '', ''] },
      { row: 5, line: 8, cells: ['42-329-00003', '', 'not a date'] },
      { row: 6, line: 9, cells: ['42-329-00004', '', '2024-13-01'] },
    ]);
    expect({ records, malformed, tooLargeRow: undefined }).toEqual(oracle(text, 1 << 20));
  });

  it('reports a record over the size limit at the same row and line, whatever the characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'é', '€', '😀', ',', '"', '\n'), { maxLength: 80 }),
        fc.integer({ min: 4, max: 40 }),
        (parts, max) => {
          const text = `h\n${parts.join('')}`;
          const ours = read([text], max);
          const theirs = oracle(text, max);
          // csv-parse dropped the rest of its input after a record too large: compare up to there.
          const last = theirs.tooLargeRow ?? Infinity;
          expect(ours.malformed.filter((m) => m.row <= last)).toEqual(theirs.malformed);
          expect(ours.records.filter((r) => r.row < last)).toEqual(theirs.records);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('goes on reading after a record over the size limit (csv-parse lost the rest of the chunk)', () => {
    const { records, malformed } = read([`a,b\n1,"${'x'.repeat(50)}"\n2,3\n4,"5\n6"\n`], 32);
    expect(malformed).toEqual([{ row: 2, line: 2, reason: 'record too large (over 32 bytes)' }]);
    expect(records).toEqual([
      { row: 1, line: 1, cells: ['a', 'b'] },
      { row: 3, line: 3, cells: ['2', '3'] },
      { row: 4, line: 4, cells: ['4', '5\n6'] },
    ]);
  });
});
