import fs from 'node:fs';
import path from 'node:path';

/**
 * What the report reads: the figures each benchmark writes under bench/results/ (gateway.json,
 * ingest.json, graph.json), whichever exist. The benchmarks own their
 * shapes and change them; the readers below look for the figures by name (a throughput, `pNN_ms` /
 * `pNNMs` percentiles, `rows` with `rows_per_s`) instead of one fixed layout, and say plainly what
 * they could not find rather than throwing.
 */

export type InputName = 'gateway' | 'ingest' | 'graph';
export const INPUT_FILES: Readonly<Record<InputName, string>> = {
  gateway: 'gateway.json',
  ingest: 'ingest.json',
  graph: 'graph.json',
};

/** Latency percentiles by name (`p50`, `p95`, `p99`, …), milliseconds. */
export type Percentiles = Record<string, number>;

export interface GatewayConfiguration {
  /** The configuration's letter (A backend directly, B AEGIS gateway in-memory limits, …). */
  name: string;
  label: string;
  requestsPerSec: number;
  cpuPer1kRequestsMs?: number;
  latencyMs: Percentiles;
}

export interface GatewayFigures {
  date?: string;
  configurations: GatewayConfiguration[];
  /** Throughput ratios as the gateway benchmark states them ('B/E': 0.56, …). */
  ratios: Record<string, number>;
  loadavg?: string;
  /** Configurations the benchmark could not run, with its reason (a tool missing, say). */
  skipped: Record<string, string>;
  /** Two replicas sharing Redis behind a round-robin client, when measured. */
  replicas?: {
    replicas: number;
    requestsPerSec: number;
    perReplica: number[];
    quotaExact?: boolean;
    quotaAllowed?: number;
    quotaAllowedMax?: number;
  };
  /** Added latency at a fixed, unsaturated rate. */
  paced?: { rate: number; directP50Ms: number; gatewayP50Ms: number; addedP50Ms: number };
}

export interface IngestRun {
  /** Store and file shape, e.g. `SQLite · full` — one line in the chart. */
  series: string;
  rows: number;
  rowsPerSec: number;
  seconds?: number;
  peakRssMiB?: number;
  /** Where the time goes: CPU seconds each process spent on the upload. */
  ingestionCpuSec?: number;
  knowledgeGraphCpuSec?: number;
  /** Machine load when the upload started. */
  loadavg?: string;
}

export interface IngestFigures {
  date?: string;
  runs: IngestRun[];
  loadavg?: string;
}

export interface GraphQuery {
  /** Where the figures sit in graph.json, e.g. `http_graph_depth3` or `postgres / http_graph_depth3`. */
  name: string;
  store?: string;
  entities?: number;
  edges?: number;
  n?: number;
  latencyMs: Percentiles;
  loadavg?: string;
}

export interface GraphFigures {
  date?: string;
  queries: GraphQuery[];
  loadavg?: string;
}

export interface BenchResults {
  gateway?: GatewayFigures;
  ingest?: IngestFigures;
  graph?: GraphFigures;
  /** One plain sentence per input that could not be used ("gateway.json: not found …"). */
  problems: string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function firstNumber(o: Json, keys: readonly string[]): number | undefined {
  for (const k of keys) if (isNumber(o[k])) return o[k];
  return undefined;
}

function firstString(o: Json, keys: readonly string[]): string | undefined {
  for (const k of keys) if (typeof o[k] === 'string') return o[k];
  return undefined;
}

const PERCENTILE_KEY = /^p(\d+(?:\.\d+)?)(?:Ms|_ms)$/;

/** `{ p50Ms: 1, p99_ms: 2, max_ms: 3 }` → `{ p50: 1, p99: 2 }`. */
export function percentilesOf(o: Json): Percentiles {
  const out: Percentiles = {};
  for (const [k, v] of Object.entries(o)) {
    const m = PERCENTILE_KEY.exec(k);
    if (m && isNumber(v)) out[`p${m[1]}`] = v;
  }
  return out;
}

/** `/proc/loadavg` as the benchmarks record it — a list, a string, `{ before, after }`,
 * `loadavgBefore`/`loadavgAfter` — as `1.20 0.90 0.80` or `1.20 0.90 0.80 → 2.10 1.30 0.90`. */
export function loadavgOf(o: Json): string | undefined {
  const machine = isObject(o.machine) ? o.machine : {};
  const three = (v: unknown): string | undefined => {
    const xs = Array.isArray(v) ? v : typeof v === 'string' ? v.trim().split(/\s+/).map(Number) : [];
    return xs.length >= 3 && xs.slice(0, 3).every(isNumber)
      ? xs
          .slice(0, 3)
          .map((x: number) => x.toFixed(2))
          .join(' ')
      : undefined;
  };
  const pair = (before: unknown, after: unknown) => {
    const [b, a] = [three(before), three(after)];
    return b && a ? `${b} → ${a}` : (b ?? a);
  };
  const l = o.loadavg ?? machine.loadavg;
  if (isObject(l)) return pair(l.before, l.after);
  return (
    three(l) ??
    pair(
      o.loadavg_before ?? machine.loadavgBefore ?? o.loadavgBefore,
      o.loadavg_after ?? machine.loadavgAfter ?? o.loadavgAfter,
    )
  );
}

const dateOf = (o: Json): string | undefined => firstString(o, ['date', 'at', 'finishedAt']);

/** The gateway benchmark's figures: `configurations` or `summary`, keyed by letter or a list with `name`. */
export function parseGateway(json: unknown): GatewayFigures | string {
  if (!isObject(json)) return 'is not a JSON object';
  const source = json.configurations ?? json.summary;
  const entries: [string, unknown][] = Array.isArray(source)
    ? source.map((c, i) => [isObject(c) ? (firstString(c, ['name', 'id']) ?? String(i)) : String(i), c])
    : isObject(source)
      ? Object.entries(source)
      : [];
  const configurations: GatewayConfiguration[] = [];
  for (const [name, c] of entries) {
    if (!isObject(c)) continue;
    const requestsPerSec = firstNumber(c, ['requestsPerSec', 'requests_per_s', 'rps', 'throughput']);
    if (requestsPerSec === undefined) continue;
    configurations.push({
      name,
      label: firstString(c, ['label', 'description']) ?? name,
      requestsPerSec,
      cpuPer1kRequestsMs: firstNumber(c, [
        'cpuPer1kRequestsMs',
        'cpu_ms_per_1k_requests',
        'cpuMsPer1kRequests',
      ]),
      latencyMs: percentilesOf(c),
    });
  }
  if (configurations.length === 0) return 'names no configuration with a throughput (requestsPerSec)';
  const ratios = Object.fromEntries(
    Object.entries(isObject(json.ratios) ? json.ratios : {}).filter((e): e is [string, number] =>
      isNumber(e[1]),
    ),
  );
  const skipped = Object.fromEntries(
    Object.entries(isObject(json.skipped) ? json.skipped : {}).map(([k, v]) => [k, String(v)]),
  );
  return {
    date: dateOf(json),
    configurations,
    ratios,
    loadavg: loadavgOf(json),
    skipped,
    replicas: replicasOf(json.replicas),
    paced: pacedOf(json.pacedLatency),
  };
}

function replicasOf(r: unknown): GatewayFigures['replicas'] {
  if (!isObject(r)) return undefined;
  const requestsPerSec = firstNumber(r, ['requestsPerSec']);
  const perReplica = Array.isArray(r.perReplica)
    ? r.perReplica.map((p) => (isObject(p) ? firstNumber(p, ['requestsPerSec']) : undefined))
    : [];
  if (requestsPerSec === undefined || !perReplica.every(isNumber)) return undefined;
  const quota = isObject(r.quota) ? r.quota : {};
  return {
    replicas: firstNumber(r, ['replicas']) ?? perReplica.length,
    requestsPerSec,
    perReplica,
    quotaExact: typeof quota.exact === 'boolean' ? quota.exact : undefined,
    quotaAllowed: firstNumber(quota, ['allowed']),
    quotaAllowedMax: firstNumber(quota, ['allowedMax']),
  };
}

function pacedOf(p: unknown): GatewayFigures['paced'] {
  if (!isObject(p)) return undefined;
  const [rate, directP50Ms, gatewayP50Ms, addedP50Ms] = [
    'rate',
    'directP50Ms',
    'gatewayP50Ms',
    'addedP50Ms',
  ].map((k) => firstNumber(p, [k]));
  if (
    rate === undefined ||
    directP50Ms === undefined ||
    gatewayP50Ms === undefined ||
    addedP50Ms === undefined
  )
    return undefined;
  return { rate, directP50Ms, gatewayP50Ms, addedP50Ms };
}

/** Every object below `json` that has `rows` and a rows/s figure is one upload. */
export function parseIngest(json: unknown): IngestFigures | string {
  if (!isObject(json)) return 'is not a JSON object';
  const runs: IngestRun[] = [];
  const visit = (v: unknown, store: string | undefined): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, store));
    if (!isObject(v)) return;
    const named = firstString(v, ['store', 'database']);
    const here = (named && storeFromKey(named)) ?? named ?? store;
    const rows = firstNumber(v, ['rows', 'total_rows']);
    const rowsPerSec = firstNumber(v, ['rows_per_s', 'rowsPerSec']);
    if (rows !== undefined && rowsPerSec !== undefined) {
      const shape = firstString(v, ['shape']);
      runs.push({
        series: [here ?? 'SQLite', shape].filter(Boolean).join(' · '),
        rows,
        rowsPerSec,
        seconds: firstNumber(v, ['seconds']),
        peakRssMiB: firstNumber(v, ['ingestion_peak_rss_mib', 'peakRssMiB']),
        ingestionCpuSec: firstNumber(v, ['ingestion_cpu_s']),
        knowledgeGraphCpuSec: firstNumber(v, ['knowledge_graph_cpu_s']),
        loadavg: loadavgOf(v),
      });
      return;
    }
    for (const [k, child] of Object.entries(v)) visit(child, here ?? storeFromKey(k));
  };
  visit(json, undefined);
  if (runs.length === 0) return 'names no upload with rows and rows_per_s';
  return { date: dateOf(json), runs, loadavg: loadavgOf(json) };
}

/** A key such as `postgres` or `sqlite` names the store of what is below it. */
function storeFromKey(key: string): string | undefined {
  if (/^postgres(ql)?$/i.test(key)) return 'PostgreSQL';
  if (/^sqlite$/i.test(key)) return 'SQLite';
  return undefined;
}

/** Every object below `json` with a p50 and a p99 is one query; its path in the file names it. */
export function parseGraph(json: unknown): GraphFigures | string {
  if (!isObject(json)) return 'is not a JSON object';
  const queries: GraphQuery[] = [];
  type Context = { store?: string; entities?: number; edges?: number; loadavg?: string };
  const visit = (v: unknown, trail: string[], ctx: Context) => {
    if (Array.isArray(v)) return v.forEach((x, i) => visit(x, [...trail, String(i)], ctx));
    if (!isObject(v)) return;
    const graph = isObject(v.graph) ? v.graph : undefined;
    const here = {
      store: (graph && firstString(graph, ['store'])) ?? firstString(v, ['store']) ?? ctx.store,
      entities: (graph && firstNumber(graph, ['entities'])) ?? ctx.entities,
      edges: (graph && firstNumber(graph, ['edges'])) ?? ctx.edges,
      loadavg: loadavgOf(v) ?? ctx.loadavg,
    };
    const latencyMs = percentilesOf(v);
    if (latencyMs.p50 !== undefined && latencyMs.p99 !== undefined) {
      queries.push({ name: trail.join(' / '), ...here, n: firstNumber(v, ['n']), latencyMs });
      return;
    }
    for (const [k, child] of Object.entries(v)) {
      if (k === 'graph' || k === 'machine' || k === 'loadavg') continue;
      visit(child, [...trail, k], { ...here, store: here.store ?? storeFromKey(k) });
    }
  };
  visit(json, [], {});
  if (queries.length === 0) return 'names no query with p50 and p99 latencies';
  return { date: dateOf(json), queries, loadavg: loadavgOf(json) };
}

const PARSERS = { gateway: parseGateway, ingest: parseIngest, graph: parseGraph } as const;

/** Reads whichever of gateway.json, ingest.json and graph.json exist in `dir`. Never throws for an
 * absent or unusable file: the sentence in `problems` says which and why. */
export function readResults(dir: string): BenchResults {
  const results: BenchResults = { problems: [] };
  for (const name of Object.keys(INPUT_FILES) as InputName[]) {
    const file = path.join(dir, INPUT_FILES[name]);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      results.problems.push(
        code === 'ENOENT'
          ? `${INPUT_FILES[name]}: not found — the ${name} benchmark has not written its figures (\`npm run bench:${name}\`).`
          : `${INPUT_FILES[name]}: could not be read (${(err as Error).message}).`,
      );
      continue;
    }
    const parsed = PARSERS[name](json);
    if (typeof parsed === 'string') results.problems.push(`${INPUT_FILES[name]}: ${parsed}; left out.`);
    else Object.assign(results, { [name]: parsed });
  }
  return results;
}
