import { Readable } from 'node:stream';
import fc from 'fast-check';
import { readCsv, type CsvRecord, type MalformedRecord } from './csv-source';

async function read(chunks: (string | Buffer)[], maxRecordBytes = 64 * 1024) {
  const malformed: MalformedRecord[] = [];
  const records: CsvRecord[] = [];
  for await (const batch of readCsv(
    Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))),
    { maxRecordBytes, onMalformed: (m) => malformed.push(m) },
  )) {
    records.push(...batch);
  }
  return { records, malformed };
}

const quote = (cell: string) =>
  /[",\r\n]/.test(cell) || cell.trim() !== cell ? `"${cell.replace(/"/g, '""')}"` : cell;

/** Splits text at arbitrary points (the parser must not care where chunks end, even mid-character). */
function chunked(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out.filter((b) => b.length > 0);
}

describe('readCsv', () => {
  it('numbers rows like a spreadsheet and records the line each record starts on', async () => {
    const { records, malformed } = await read(['\uFEFFa,b\r\n1,2\r\n\r\n"multi\nline",3\n4,5\n']);
    expect(malformed).toEqual([]);
    expect(records).toEqual([
      { row: 1, line: 1, cells: ['a', 'b'] },
      { row: 2, line: 2, cells: ['1', '2'] },
      { row: 3, line: 4, cells: ['multi\nline', '3'] },
      { row: 4, line: 6, cells: ['4', '5'] },
    ]);
  });

  it('reports malformed records with their row and line and goes on reading', async () => {
    const { records, malformed } = await read(['a,b\n1,2\n7,8"9\n10,11\n']);
    expect(records.map((r) => [r.row, r.cells.join('|')])).toEqual([
      [1, 'a|b'],
      [2, '1|2'],
      [4, '10|11'],
    ]);
    expect(malformed).toEqual([
      {
        row: 3,
        line: 3,
        reason: expect.stringMatching(/^malformed quotes: a quote inside an unquoted field/),
      },
    ]);
  });

  it('says which lines a closing quote followed by text made unreadable', async () => {
    const { records, malformed } = await read(['a,b\n1,2\n3,"x"y\n5,6\n7,8\n']);
    expect(records).toHaveLength(2);
    expect(malformed).toEqual([
      {
        row: 3,
        line: 3,
        reason: expect.stringMatching(/^malformed quotes: a closing quote is not followed by a delimiter/),
      },
      {
        row: 4,
        line: 4,
        reason: expect.stringMatching(/^unbalanced quotes: .* \(lines 4–5 could not be read\)$/),
      },
    ]);
  });

  it('reports a quote left open until the end of the file', async () => {
    const { records, malformed } = await read(['a,b\n1,2\n3,"open\n5,6\n']);
    expect(records).toHaveLength(2);
    expect(malformed).toEqual([
      { row: 3, line: 3, reason: expect.stringMatching(/^unbalanced quotes: .*lines 3–4/) },
    ]);
  });

  it('bounds a record by size instead of buffering it', async () => {
    const { malformed } = await read(['a,b\n1,"' + 'x'.repeat(5000) + '"\n2,3\n'], 1024);
    expect(malformed).toEqual([{ row: 2, line: 2, reason: 'record too large (over 1024 bytes)' }]);
  });

  it('reads on after a record too large (csv-parse lost the rest of its chunk)', async () => {
    const { records, malformed } = await read(['a,b\n1,"' + 'x'.repeat(5000) + '"\n2,3\n4,5\n'], 1024);
    expect(malformed).toEqual([{ row: 2, line: 2, reason: 'record too large (over 1024 bytes)' }]);
    expect(records.map((r) => [r.row, r.line, r.cells.join('|')])).toEqual([
      [1, 1, 'a|b'],
      [3, 3, '2|3'],
      [4, 4, '4|5'],
    ]);
  });

  it('reports undecodable bytes as a rejected file naming the line', async () => {
    await expect(
      read([Buffer.from('a,b\n1,2\n'), Buffer.from([0x33, 0x2c, 0xff, 0x0a])]),
    ).rejects.toMatchObject({
      code: 'invalid_encoding',
      detail: [{ loc: ['file', 'line', 3] }],
    });
  });

  it('reads back any table it is given, however the input is chunked', async () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'Z', '1', ' ', ',', '"', '\n', '\r\n', 'é', '€', ';'),
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }).chain((width) =>
          fc.tuple(
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
              minLength: 1,
              maxLength: 20,
            }),
            fc.array(fc.nat(), { maxLength: 8 }),
            fc.constantFrom('\n', '\r\n'),
          ),
        ),
        async ([rows, cuts, eol]) => {
          // A record of one empty cell is an empty line, which CSV cannot tell from a blank line.
          const table = rows.filter((r) => !(r.length === 1 && r[0] === ''));
          const text = table.map((r) => r.map(quote).join(',')).join(eol) + eol;
          const { records, malformed } = await read(chunked(text, cuts));
          expect(malformed).toEqual([]);
          expect(records.map((r) => r.cells)).toEqual(table);
          expect(records.map((r) => r.row)).toEqual(table.map((_, i) => i + 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stops reading when aborted and throws the reason', async () => {
    const controller = new AbortController();
    const input = Readable.from(
      (function* () {
        for (let i = 0; i < 1_000_000; i += 1) yield Buffer.from(`${i},x\n`);
      })(),
    );
    const reason = new Error('stop');
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const batch of readCsv(input, {
          maxRecordBytes: 1024,
          onMalformed: () => undefined,
          signal: controller.signal,
        })) {
          for (const r of batch) {
            seen.push(r.row);
            if (r.row === 100) controller.abort(reason);
          }
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen.length).toBeLessThan(1000);
  });
});
