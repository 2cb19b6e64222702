import { Readable } from 'node:stream';
import type { ValidationIssue } from '@aegis/common';
import type { FlatBatch } from '../domain/batch';
import type { DataType, Mode } from '../domain/datatypes';
import { readCsv } from './csv-source';
import { FileRejectedError } from './errors';
import { loadRecords, type LoadSink } from './loader';
import { objectRecords } from './service';

/** An in-memory sink that records what it was asked to do. */
function memorySink(
  options: {
    reject?: (batch: FlatBatch) => ValidationIssue[] | undefined;
    failAt?: number;
    delayMs?: number;
  } = {},
) {
  const staged: FlatBatch[] = [];
  let inFlight = 0;
  const state = { committed: false, discarded: false, maxInFlight: 0, sends: 0, staged };
  const sink: LoadSink = {
    async send(batch) {
      state.sends += 1;
      inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      try {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        if (options.failAt !== undefined && state.sends >= options.failAt) throw new Error('graph down');
        const issues = options.reject?.(batch);
        if (issues && issues.length > 0) return { ok: false, issues };
        staged.push(batch);
        return { ok: true };
      } finally {
        inFlight -= 1;
      }
    },
    async commit() {
      state.committed = true;
      return {
        created: staged.reduce((n, b) => n + b.entities.length, 0),
        updated: 0,
        edges_created: 0,
        edges_updated: 0,
      };
    },
    async discard() {
      state.discarded = true;
    },
  };
  return { sink, state };
}

const csv = (text: string) => (onMalformed: Parameters<typeof readCsv>[1]['onMalformed']) =>
  readCsv(Readable.from([Buffer.from(text)]), { maxRecordBytes: 65536, onMalformed });

const load = (
  text: string,
  sink: LoadSink,
  mode: Mode = 'all_or_nothing',
  dataType: DataType = 'wells',
  extra = {},
) => loadRecords(csv(text), { dataType, mode, sink, maxErrors: 1000, batchMaxItems: 5000, ...extra });

const HEADER = 'API,Well Name\n';
const rows = (n: number, bad: number[] = []) =>
  HEADER +
  Array.from(
    { length: n },
    (_, i) => `${bad.includes(i + 2) ? 'x' : `42329${String(10000 + i)}`},W${i}\n`,
  ).join('');

describe('loadRecords', () => {
  it('commits a clean file and counts its rows', async () => {
    const { sink, state } = memorySink();
    const result = await load(rows(10), sink);
    expect(result).toMatchObject({
      outcome: 'committed',
      totalRows: 10,
      acceptedRows: 10,
      rejectedRows: 0,
      errors: [],
    });
    expect(state.committed).toBe(true);
  });

  it('discards everything in all_or_nothing mode when one row fails, but reports all failing rows', async () => {
    const { sink, state } = memorySink();
    const result = await load(rows(10, [3, 9]), sink, 'all_or_nothing', 'wells', { batchMaxItems: 7 });
    expect(result).toMatchObject({ outcome: 'discarded', totalRows: 10, acceptedRows: 0, rejectedRows: 2 });
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'api_number'],
      [9, 'api_number'],
    ]);
    expect(state.committed).toBe(false);
    expect(state.discarded).toBe(true);
    // Nothing is sent after the first failure.
    expect(state.sends).toBeLessThanOrEqual(1);
  });

  it('commits the good rows in partial mode', async () => {
    const { sink, state } = memorySink();
    const result = await load(rows(10, [3]), sink, 'partial');
    expect(result).toMatchObject({ outcome: 'committed', acceptedRows: 9, rejectedRows: 1 });
    expect(state.staged.flatMap((b) => b.entityRows)).not.toContain(3);
  });

  it('discards when partial mode has no valid row', async () => {
    const { sink, state } = memorySink();
    const result = await load(rows(2, [2, 3]), sink, 'partial');
    expect(result).toMatchObject({ outcome: 'discarded', acceptedRows: 0, rejectedRows: 2 });
    expect(state.discarded).toBe(true);
  });

  it('resends a batch without the rows the graph named, until it goes through', async () => {
    // The graph names at most one issue per answer (like a paged 422): three rounds for three rows.
    const bad = new Set(['W1', 'W4', 'W7']);
    const { sink, state } = memorySink({
      reject: (batch) => {
        const i = batch.entities.findIndex((e) => bad.has(String(e.properties.name)));
        return i < 0
          ? undefined
          : [{ loc: ['body', 'entities', i, 'properties', 'name'], msg: 'no', type: 'value_error' }];
      },
    });
    const result = await load(rows(10), sink, 'partial');
    expect(result).toMatchObject({ outcome: 'committed', acceptedRows: 7, rejectedRows: 3 });
    expect(result.errors.map((e) => e.row)).toEqual([3, 6, 9]);
    expect(state.sends).toBe(4);
  });

  it('rejects the whole batch when the graph names no item', async () => {
    const { sink } = memorySink({
      reject: () => [{ loc: ['body'], msg: 'too many items', type: 'too_big' }],
    });
    const result = await load(rows(3), sink, 'partial');
    expect(result).toMatchObject({ outcome: 'discarded', rejectedRows: 3 });
    expect(result.errors[0]).toMatchObject({
      field: 'row',
      reason: 'rejected by the knowledge graph: too many items',
    });
  });

  it('keeps at most one batch in flight and discards the import when the graph fails', async () => {
    const { sink, state } = memorySink({ delayMs: 2, failAt: 5 });
    await expect(load(rows(200), sink, 'all_or_nothing', 'wells', { batchMaxItems: 14 })).rejects.toThrow(
      'graph down',
    );
    expect(state.maxInFlight).toBe(1);
    expect(state.discarded).toBe(true);
    expect(state.committed).toBe(false);
  });

  it('discards instead of committing when the request turned out too large', async () => {
    const { sink, state } = memorySink();
    await expect(
      load(rows(3), sink, 'all_or_nothing', 'wells', {
        beforeCommit: () => Promise.reject(new Error('413')),
      }),
    ).rejects.toThrow('413');
    expect(state.discarded).toBe(true);
    expect(state.committed).toBe(false);
  });

  it('rejects empty files, header-only files and headers missing required columns', async () => {
    const cases: [string, string][] = [
      ['', 'empty_file'],
      ['\n\n', 'empty_file'],
      [HEADER, 'no_rows'],
      [HEADER + ',\n , \n', 'no_rows'],
      ['Well Name,County\nW,Midland\n', 'invalid_header'],
    ];
    for (const [text, code] of cases) {
      const { sink, state } = memorySink();
      await expect(load(text, sink)).rejects.toMatchObject({ code });
      expect(state.sends).toBe(0);
    }
    await expect(load('Well Name\nW\n', memorySink().sink)).rejects.toBeInstanceOf(FileRejectedError);
  });

  it('counts blank spreadsheet rows as nothing and wrong column counts as row errors', async () => {
    const { sink } = memorySink();
    const result = await load(`${HEADER}4232910000,W\n,\n4232910001\n4232910002,W,extra\n`, sink, 'partial');
    expect(result).toMatchObject({ totalRows: 3, acceptedRows: 1, rejectedRows: 2 });
    expect(result.errors).toEqual([
      { row: 4, line: 4, field: 'row', reason: 'expected 2 columns, found 1' },
      { row: 5, line: 5, field: 'row', reason: 'expected 2 columns, found 3' },
    ]);
  });

  it('keeps the first errors only, with an exact count', async () => {
    const { sink } = memorySink();
    const bad = Array.from({ length: 50 }, (_, i) => i + 2);
    const result = await load(rows(50, bad), sink, 'partial', 'wells', { maxErrors: 5 });
    expect(result).toMatchObject({ rejectedRows: 50, errorCount: 50, errorsTruncated: true });
    expect(result.errors).toHaveLength(5);
  });

  it('loads JSON records through the same path, numbered by index, whatever their key spelling', async () => {
    const { sink } = memorySink();
    const records = [
      { api_number: '4232910000', well_name: 'A' },
      { api_number: 42, well_name: 'B' },
      { 'API No.': '4232910002', Name: 'C', api: '' },
      { well_name: 'D' },
    ];
    const result = await loadRecords(
      () => ({
        async *[Symbol.asyncIterator]() {
          yield objectRecords(records, 'wells');
        },
      }),
      { dataType: 'wells', mode: 'partial', sink, maxErrors: 10, batchMaxItems: 5000 },
    );
    expect(result).toMatchObject({ outcome: 'committed', acceptedRows: 2, rejectedRows: 2 });
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 1, field: 'api_number', value: '42' }),
      { row: 3, field: 'api_number', reason: 'field required' },
    ]);
  });
});
