import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendHistory, historyEntry, HistoryEntrySchema, readHistory, type RunContext } from './history';
import { readResults } from './inputs';

const context: RunContext = {
  date: '2026-11-29T12:00:00.000Z',
  commit: '0123456789abcdef0123456789abcdef01234567',
  dirty: false,
  scale: 'standard',
  machine: { cpus: 2, model: 'Test CPU', loadavg: [1, 0.5, 0.25], node: 'v20.20.2' },
};

describe('history.jsonl', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-history-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends exactly one valid line with the machine, commit and headline figures', () => {
    const file = path.join(dir, 'history.jsonl');
    fs.writeFileSync(file, '{"not":"an entry"}'); // an earlier line, without its newline
    const entry = historyEntry(readResults(path.join(__dirname, 'fixtures')), context);
    appendHistory(file, entry);

    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3); // the old line, the new one, the final newline
    expect(lines[2]).toBe('');
    const written = HistoryEntrySchema.parse(JSON.parse(lines[1]));
    expect(written).toMatchObject({
      v: 1,
      commit: context.commit,
      machine: { cpus: 2, model: 'Test CPU', loadavg: [1, 0.5, 0.25] },
      gateway: { B: { requestsPerSec: 9621, cpuPer1kRequestsMs: 107.03, p99Ms: 14.38 } },
      ratios: { 'B/E': 0.56 },
      ingest: { 'SQLite · full': { rows: 1000000, rowsPerSec: 6259 } },
      graph: { http_graph_depth3: { p50Ms: 8.36, p99Ms: 16.53 } },
    });
  });

  it('reads the valid lines back and counts the others instead of failing', () => {
    const file = path.join(dir, 'history.jsonl');
    appendHistory(file, historyEntry({ problems: [] }, context));
    fs.appendFileSync(file, 'garbage\n{"v":1}\n\n');
    appendHistory(file, historyEntry({ problems: [] }, { ...context, commit: 'next' }));
    const h = readHistory(file);
    expect(h.entries.map((e) => e.commit)).toEqual([context.commit, 'next']);
    expect(h.invalidLines).toBe(2);
  });

  it('refuses to append an entry that is not valid', () => {
    const file = path.join(dir, 'history.jsonl');
    expect(() =>
      appendHistory(file, {
        ...historyEntry({ problems: [] }, context),
        machine: { ...context.machine, cpus: 0 },
      }),
    ).toThrow();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('reads an absent file as no history', () => {
    expect(readHistory(path.join(dir, 'none.jsonl'))).toEqual({ entries: [], invalidLines: 0 });
  });
});
