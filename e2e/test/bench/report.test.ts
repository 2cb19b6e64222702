import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@aegis/testing';

/** `npm run bench:report` (bench/src/report/main.ts) as a process: the charts rendered for real with
 * vega and vega-lite (ESM-only, which jest's runtime cannot import), from the report's fixture JSON. */
describe('bench report (npm run bench:report)', () => {
  const fixtures = path.join(repoRoot, 'bench', 'src', 'report', 'fixtures');
  let dir: string;
  const compose = () =>
    execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['bench/src/report/main.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, BENCH_RESULTS_DIR: dir, BENCH_SCALE: 'smoke' },
    });
  const svg = (name: string) => fs.readFileSync(path.join(dir, 'charts', name), 'utf8');
  const count = (text: string, needle: string) => text.split(needle).length - 1;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders SVG charts with one mark per figure and the configurations as labels', () => {
    for (const f of ['gateway.json', 'ingest.json', 'graph.json'])
      fs.copyFileSync(path.join(fixtures, f), path.join(dir, f));
    compose();

    const throughput = svg('gateway-throughput.svg');
    expect(throughput.startsWith('<svg')).toBe(true);
    expect(count(throughput, 'aria-roledescription="bar"')).toBe(6); // A B C D E G
    expect(throughput).toContain('B · AEGIS gateway, JWT + in-memory limits');
    expect(throughput).toContain('9,621'); // the value printed at the end of B's bar
    expect(throughput).toContain('requests per second');
    expect(count(svg('gateway-latency.svg'), 'aria-roledescription="bar"')).toBe(12); // p50 and p99 each
    expect(count(svg('gateway-cpu.svg'), 'aria-roledescription="bar"')).toBe(6);
    const ingest = svg('ingest-throughput.svg');
    expect(ingest).toContain('aria-roledescription="line mark"');
    expect(ingest).toContain('SQLite target (with relationships)');
    expect(ingest).toContain('SQLite · full');
    expect(count(svg('graph-latency.svg'), 'aria-roledescription="bar"')).toBe(18); // 6 queries × p50 p95 p99
    expect(svg('history-gateway.svg')).toContain('run (history.jsonl line)');

    const md = fs.readFileSync(path.join(dir, 'latest.md'), 'utf8');
    expect(md).toContain(
      '![Gateway throughput by configuration (req/s, higher is better)](charts/gateway-throughput.svg)',
    );
    const lines = fs.readFileSync(path.join(dir, 'history.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ v: 1, scale: 'smoke', machine: { cpus: os.cpus().length } });
  });

  it('with no figures at all, writes a report that says so and exits 0', () => {
    const out = compose();
    expect(out).toContain('note: gateway.json: not found');
    const md = fs.readFileSync(path.join(dir, 'latest.md'), 'utf8');
    expect(md).toContain('## Not in this report');
    expect(md).toContain('- graph.json: not found');
    expect(fs.readdirSync(path.join(dir, 'charts'))).toEqual([]);
  });
});
