import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VegaLiteSpec } from './charts';
import { composeReport } from './compose';
import type { RunContext } from './history';
import type { LatestReport } from './model';

/** Real SVG needs vega, which jest's CommonJS runtime cannot import: e2e/test/bench/report.test.ts
 * renders for real through the CLI. Here the renderer records the specs it is given. */
const context: RunContext = {
  date: '2026-11-29T12:00:00.000Z',
  commit: 'abcdef0123456789',
  scale: 'standard',
  machine: { cpus: 2, model: 'Test CPU', loadavg: [1, 0.5, 0.25], node: 'v20.20.2' },
};

describe('composeReport', () => {
  let dir: string;
  let specs: VegaLiteSpec[];
  const render = (spec: VegaLiteSpec) => {
    specs.push(spec);
    return Promise.resolve(`<svg>${JSON.stringify(spec.title)}</svg>`);
  };
  const copy = (...names: string[]) =>
    names.forEach((n) => fs.copyFileSync(path.join(__dirname, 'fixtures', n), path.join(dir, n)));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-compose-'));
    specs = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes latest.md with every chart, latest.json with the figures and targets, one history line', async () => {
    copy('gateway.json', 'ingest.json', 'graph.json');
    const { markdown, charts } = await composeReport({ resultsDir: dir, context, render });

    expect(charts.map((c) => path.basename(c))).toEqual([
      'gateway-throughput.svg',
      'gateway-cpu.svg',
      'gateway-latency.svg',
      'ingest-throughput.svg',
      'graph-latency.svg',
      'history-gateway.svg',
    ]);
    for (const c of charts) expect(markdown).toContain(`](charts/${path.basename(c)})`);
    expect(fs.readFileSync(path.join(dir, 'charts', 'gateway-cpu.svg'), 'utf8')).toContain(
      'CPU per 1,000 requests',
    );
    expect(markdown).toContain(
      '| B | AEGIS gateway, JWT + in-memory limits | 9,621 | 107.03 | 9,343 | 6.49 | 14.38 |',
    );
    expect(markdown).toContain('| B/E | 0.56 | ≥ 0.85');
    expect(markdown).toContain('| B/G | 2.35 | > 1');
    expect(markdown).toContain(
      '| SQLite · full | 1,000,000 | 6,259 | 159.8 | 22.5 | 129.3 | 205 | 1.00 0.80 0.70 → 1.10 0.80 0.70 |',
    );
    expect(markdown).toContain('the shared quota held exactly (300 admitted, at most 325 allowed)');
    expect(markdown).toContain('Configuration H was not measured: caddy is not installed.');
    expect(markdown).not.toContain('Not in this report');

    const latest = JSON.parse(fs.readFileSync(path.join(dir, 'latest.json'), 'utf8')) as LatestReport;
    expect(latest.context.commit).toBe(context.commit);
    expect(latest.gateway?.targets.find((t) => t.what === 'C/B')).toMatchObject({ value: 1.08, met: false });
    expect(latest.ingest?.targets).toEqual([
      expect.objectContaining({ what: 'SQLite · full', value: 6259, met: false }),
      expect.objectContaining({ what: 'PostgreSQL · full', value: 12195, met: true }),
    ]);
    expect(latest.history.runs).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('gives each chart the marks and labels of its figures', async () => {
    copy('gateway.json', 'ingest.json', 'graph.json');
    await composeReport({ resultsDir: dir, context, render });
    const [throughput, , latency, ingest] = specs as unknown as Record<string, unknown>[];
    const values = (s: Record<string, unknown>) => (s.data as { values: Record<string, unknown>[] }).values;
    expect(values(throughput).map((v) => v.group)).toContain('B · AEGIS gateway, JWT + in-memory limits');
    expect(JSON.stringify(throughput.layer)).toContain('"type":"bar"');
    expect(new Set(values(latency).map((v) => v.percentile))).toEqual(new Set(['p50', 'p99']));
    const layers = ingest.layer as { mark: { type: string }; data: { values: Record<string, unknown>[] } }[];
    expect(layers.map((l) => l.mark.type)).toEqual(['line', 'rule', 'text']);
    expect(layers[1].data.values).toEqual([
      { rowsPerSec: 25000, label: 'SQLite target (with relationships)' },
      { rowsPerSec: 10000, label: 'PostgreSQL target (with relationships)' },
    ]);
  });

  it('says plainly what is missing, writes what it has, and removes charts of absent inputs', async () => {
    copy('gateway.json', 'ingest.json', 'graph.json');
    await composeReport({ resultsDir: dir, context, render });
    fs.rmSync(path.join(dir, 'ingest.json'));
    fs.rmSync(path.join(dir, 'graph.json'));

    const { markdown } = await composeReport({ resultsDir: dir, context, render });
    expect(markdown).toContain('## Not in this report');
    expect(markdown).toContain('- ingest.json: not found — the ingest benchmark has not written its figures');
    expect(markdown).toContain('- graph.json: not found — the graph benchmark has not written its figures');
    expect(markdown).not.toContain('## Ingestion');
    expect(fs.existsSync(path.join(dir, 'charts', 'ingest-throughput.svg'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'charts', 'gateway-throughput.svg'))).toBe(true);
    expect(markdown).toContain('2 run(s) in history.jsonl');
  });

  it('composes a report of no figures at all without adding to history', async () => {
    const { markdown, report } = await composeReport({ resultsDir: dir, context, render });
    expect(report.problems).toHaveLength(4);
    expect(markdown).toContain('- No benchmark figures from this run: nothing was added to history.jsonl.');
    expect(markdown).toContain('0 run(s) in history.jsonl');
    expect(fs.existsSync(path.join(dir, 'history.jsonl'))).toBe(false);
    expect(specs).toEqual([]);
  });

  it('marks figures of a benchmark that failed as an earlier run, and keeps them out of history', async () => {
    copy('gateway.json', 'graph.json');
    const { markdown } = await composeReport({
      resultsDir: dir,
      context,
      render,
      steps: [
        {
          name: 'gateway',
          command: 'npm run bench:gateway',
          status: 'failed',
          seconds: 12,
          detail: 'exit 1',
        },
        { name: 'graph', command: 'npm run bench:graph', status: 'ok', seconds: 30 },
      ],
    });
    expect(markdown).toContain(
      '- The gateway benchmark failed in this run (exit 1): its figures below are from an earlier run (2026-11-29T01:16:37.601Z).',
    );
    expect(markdown).toContain('| gateway | failed: exit 1 | 12 | `npm run bench:gateway` |');
    const line = JSON.parse(fs.readFileSync(path.join(dir, 'history.jsonl'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(line.gateway).toBeUndefined();
    expect(line.graph).toBeDefined();
  });

  it('states a chart that could not be rendered instead of failing the report', async () => {
    copy('graph.json');
    const { markdown } = await composeReport({
      resultsDir: dir,
      context,
      render: () => Promise.reject(new Error('no vega here')),
    });
    expect(markdown).toContain('- Chart graph-latency.svg could not be rendered: no vega here');
    expect(markdown).toContain('| http_graph_depth3 |');
  });
});
