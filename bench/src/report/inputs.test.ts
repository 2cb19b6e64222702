import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseGateway, parseGraph, parseIngest, readResults } from './inputs';

const fixtures = path.join(__dirname, 'fixtures');
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));

describe('report inputs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-inputs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the gateway configurations with throughput, CPU per 1k requests and percentiles', () => {
    const g = parseGateway(fixture('gateway.json'));
    if (typeof g === 'string') throw new Error(g);
    expect(g.configurations.map((c) => c.name)).toEqual(['A', 'B', 'C', 'D', 'E', 'G']);
    expect(g.configurations[1]).toEqual({
      name: 'B',
      label: 'AEGIS gateway, JWT + in-memory limits',
      requestsPerSec: 9621,
      cpuPer1kRequestsMs: 107.03,
      latencyMs: { p50: 6.49, p99: 14.38 },
    });
    expect(g.ratios['B/E']).toBe(0.56);
    expect(g.loadavg).toBe('1.50 1.20 0.90 → 2.10 1.40 1.00');
    expect(g.skipped).toEqual({ H: 'caddy is not installed' });
    expect(g.replicas).toEqual({
      replicas: 2,
      requestsPerSec: 15000.5,
      perReplica: [7600.2, 7400.3],
      quotaExact: true,
      quotaAllowed: 300,
      quotaAllowedMax: 325,
    });
    expect(g.paced).toEqual({ rate: 500, directP50Ms: 0.23, gatewayP50Ms: 0.64, addedP50Ms: 0.42 });
  });

  it('reads configurations given as a list with names, as the gateway bench may write them', () => {
    const g = parseGateway({
      configurations: [{ name: 'F', label: 'forwarding core', requests_per_s: 20000, p90_ms: 3 }],
    });
    expect(g).toMatchObject({
      configurations: [{ name: 'F', requestsPerSec: 20000, latencyMs: { p90: 3 } }],
    });
  });

  it('reads every upload of ingest.json as a store · shape series', () => {
    const i = parseIngest(fixture('ingest.json'));
    if (typeof i === 'string') throw new Error(i);
    expect(i.runs.map((r) => [r.series, r.rows, r.rowsPerSec])).toEqual([
      ['SQLite · plain', 100000, 25006],
      ['SQLite · full', 100000, 7087],
      ['SQLite · plain', 1000000, 38365],
      ['SQLite · full', 1000000, 6259],
      ['PostgreSQL · full', 100000, 12195],
    ]);
    expect(i.runs[0].loadavg).toBe('1.00 0.80 0.70 → 1.10 0.80 0.70');
    expect(i.runs[0]).toMatchObject({ ingestionCpuSec: 1.2, knowledgeGraphCpuSec: 2.4 });
  });

  it('names the store of uploads grouped under a postgres key', () => {
    const i = parseIngest({ postgres: { runs: [{ rows: 1000, shape: 'full', rows_per_s: 12000 }] } });
    expect(i).toMatchObject({ runs: [{ series: 'PostgreSQL · full', rows: 1000, rowsPerSec: 12000 }] });
  });

  it('reads every object with p50 and p99 in graph.json as a query, with the graph size', () => {
    const g = parseGraph(fixture('graph.json'));
    if (typeof g === 'string') throw new Error(g);
    expect(g.queries.map((q) => q.name)).toEqual([
      'in_process_reach_depth3',
      'http_graph_depth3',
      'http_impact_outward_depth3',
      'http_impact_inward_depth3',
      'http_impact_both_depth3',
      'postgres / http_graph_depth3',
    ]);
    expect(g.queries[5]).toMatchObject({
      store: 'PostgreSQL (local throwaway server)',
      loadavg: '0.70 0.50 0.30 → 0.80 0.50 0.30',
      latencyMs: { p50: 12.5, p99: 31.7 },
    });
    expect(g.queries[1]).toMatchObject({
      store: 'SQLite (file, WAL)',
      loadavg: '0.50 0.40 0.30 → 0.60 0.40 0.30',
      entities: 100000,
      edges: 300000,
      n: 300,
      latencyMs: { p50: 8.36, p95: 14.18, p99: 16.53 },
    });
  });

  it('says plainly which inputs are absent, unreadable or unusable, and reads the rest', () => {
    fs.copyFileSync(path.join(fixtures, 'graph.json'), path.join(dir, 'graph.json'));
    fs.writeFileSync(path.join(dir, 'ingest.json'), '{"runs": [');
    const r = readResults(dir);
    expect(r.gateway).toBeUndefined();
    expect(r.ingest).toBeUndefined();
    expect(r.graph?.queries).toHaveLength(6);
    expect(r.problems).toEqual([
      expect.stringMatching(/^gateway\.json: not found — the gateway benchmark has not written its figures/),
      expect.stringMatching(/^ingest\.json: could not be read \(.*JSON/),
    ]);
  });

  it('leaves out a file that names no figure, saying what it lacks', () => {
    fs.writeFileSync(path.join(dir, 'gateway.json'), JSON.stringify({ summary: { A: { label: 'x' } } }));
    expect(readResults(dir).problems[0]).toBe(
      'gateway.json: names no configuration with a throughput (requestsPerSec); left out.',
    );
  });
});
