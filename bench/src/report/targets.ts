import type { GatewayFigures, GraphFigures, IngestFigures } from './inputs';

/** The benchmark targets, checked against one run's figures. `met` is undefined when the run has
 * not measured what the target needs (a configuration or store missing). */
export interface TargetCheck {
  what: string;
  rule: string;
  value?: number;
  met?: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

interface RatioTarget {
  ratio: `${string}/${string}`;
  min?: number;
  max?: number;
  /** Strictly above `min` (B > G). */
  exclusive?: boolean;
  rule: string;
}

/** The gateway targets: B/E, C/B, B/D, and B > G. */
export const GATEWAY_TARGETS: readonly RatioTarget[] = [
  {
    ratio: 'B/E',
    min: 0.85,
    rule: '≥ 0.85: auth, limits, metrics and header hygiene cost ≤ 15 % of bare Node',
  },
  { ratio: 'C/B', min: 0.85, max: 1.0, rule: '0.85–1.0: the in-memory limiter is never the slower one' },
  { ratio: 'B/D', min: 0.3, rule: '≥ 0.30 of nginx' },
  { ratio: 'B/G', min: 1.0, exclusive: true, rule: '> 1: local token checks beat Caddy with forward_auth' },
];

/** A ratio of two configurations' throughput: the one the benchmark states, else computed. */
export function gatewayRatio(g: GatewayFigures, ratio: string): number | undefined {
  if (g.ratios[ratio] !== undefined) return g.ratios[ratio];
  const [a, b] = ratio.split('/').map((n) => g.configurations.find((c) => c.name === n));
  return a && b && b.requestsPerSec > 0 ? round2(a.requestsPerSec / b.requestsPerSec) : undefined;
}

export function checkGateway(g: GatewayFigures): TargetCheck[] {
  return GATEWAY_TARGETS.map((t) => {
    const value = gatewayRatio(g, t.ratio);
    if (value === undefined) return { what: t.ratio, rule: t.rule };
    const aboveMin = t.min === undefined || (t.exclusive ? value > t.min : value >= t.min);
    const belowMax = t.max === undefined || value <= t.max;
    return { what: t.ratio, rule: t.rule, value, met: aboveMin && belowMax };
  });
}

/** Ingestion: well rows with operator, lease and field edges (shape `full`). */
export const INGEST_TARGETS = [
  { store: 'SQLite', rowsPerSec: 25_000 },
  { store: 'PostgreSQL', rowsPerSec: 10_000 },
] as const;

export function checkIngest(i: IngestFigures): TargetCheck[] {
  return INGEST_TARGETS.map((t) => {
    const runs = i.runs.filter((r) => r.series.startsWith(t.store) && r.series.endsWith('full'));
    const rule = `≥ ${t.rowsPerSec.toLocaleString('en-US')} rows/s with relationships (slowest upload)`;
    if (runs.length === 0) return { what: `${t.store} · full`, rule };
    const value = Math.min(...runs.map((r) => r.rowsPerSec));
    return { what: `${t.store} · full`, rule, value, met: value >= t.rowsPerSec };
  });
}

/** Graph: depth-3 traversal and impact, p50 < 50 ms and p99 < 250 ms (at 1M entities). */
export const GRAPH_TARGETS = { p50Ms: 50, p99Ms: 250 } as const;

export function checkGraph(g: GraphFigures): TargetCheck[] {
  return g.queries.map((q) => {
    const p50 = q.latencyMs.p50;
    const p99 = q.latencyMs.p99;
    return {
      what: q.name,
      rule: `p99 < ${GRAPH_TARGETS.p99Ms} ms and p50 < ${GRAPH_TARGETS.p50Ms} ms (p50 here: ${p50} ms)`,
      value: p99,
      met: p50 < GRAPH_TARGETS.p50Ms && p99 < GRAPH_TARGETS.p99Ms,
    };
  });
}
