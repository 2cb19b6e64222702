import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { HistoryEntry } from './history';
import type { BenchResults, Percentiles } from './inputs';
import { INGEST_TARGETS } from './targets';

/**
 * The report's charts as Vega-Lite specs (pure data, no rendering here). Each has the file name it
 * is rendered to under bench/results/charts/ and the alt text latest.md gives it.
 */

export type VegaLiteSpec = TopLevelSpec;

export interface Chart {
  /** File name under charts/, e.g. `gateway-throughput.svg`. */
  file: string;
  title: string;
  spec: VegaLiteSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 520;
const BASE = { $schema: SCHEMA, width: WIDTH, config: { font: 'sans-serif' } };
/** Configuration labels are long ("E · reference: bare node:http proxy …"): room for them on the axis. */
const GROUP_AXIS = {
  field: 'group',
  type: 'nominal',
  title: null,
  sort: null,
  axis: { labelLimit: 600 },
} as const;

/** The order percentiles are shown in: p50 before p90 before p99. */
const byPercentile = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));

function percentileRows(group: string, latencyMs: Percentiles) {
  return Object.keys(latencyMs)
    .sort(byPercentile)
    .map((p) => ({ group, percentile: p, ms: latencyMs[p] }));
}

/** Horizontal bars, one per configuration, with the value printed at the end of each bar. */
function barChart(
  file: string,
  title: string,
  rows: { group: string; value: number }[],
  axisTitle: string,
): Chart {
  return {
    file,
    title,
    spec: {
      ...BASE,
      title,
      data: { values: rows },
      encoding: {
        y: GROUP_AXIS,
        x: { field: 'value', type: 'quantitative', title: axisTitle },
      },
      layer: [
        { mark: { type: 'bar', tooltip: true } },
        {
          mark: { type: 'text', align: 'left', dx: 3 },
          encoding: { text: { field: 'value', format: ',.0f' } },
        },
      ],
    },
  };
}

/** Bars grouped per row, one bar per percentile. */
function percentileChart(file: string, title: string, rows: ReturnType<typeof percentileRows>): Chart {
  return {
    file,
    title,
    spec: {
      ...BASE,
      title,
      data: { values: rows },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: GROUP_AXIS,
        yOffset: { field: 'percentile', sort: null },
        x: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
        color: { field: 'percentile', type: 'nominal', sort: null, title: 'percentile' },
      },
    },
  };
}

const configLabel = (c: { name: string; label: string }) =>
  c.label === c.name ? c.name : `${c.name} · ${c.label}`;

export function gatewayCharts(results: BenchResults): Chart[] {
  const g = results.gateway;
  if (!g) return [];
  const charts = [
    barChart(
      'gateway-throughput.svg',
      'Gateway throughput by configuration (req/s, higher is better)',
      g.configurations.map((c) => ({ group: configLabel(c), value: c.requestsPerSec })),
      'requests per second',
    ),
  ];
  const cpu = g.configurations.filter((c) => c.cpuPer1kRequestsMs !== undefined);
  if (cpu.length > 0)
    charts.push(
      barChart(
        'gateway-cpu.svg',
        'CPU per 1,000 requests by configuration (ms, lower is better)',
        cpu.map((c) => ({ group: configLabel(c), value: c.cpuPer1kRequestsMs! })),
        'CPU milliseconds per 1,000 requests',
      ),
    );
  const latency = g.configurations.flatMap((c) => percentileRows(configLabel(c), c.latencyMs));
  if (latency.length > 0)
    charts.push(
      percentileChart('gateway-latency.svg', 'Gateway latency percentiles under load (ms)', latency),
    );
  return charts;
}

export function ingestChart(results: BenchResults): Chart[] {
  const i = results.ingest;
  if (!i) return [];
  const rows = i.runs.map((r) => ({ series: r.series, rows: r.rows, rowsPerSec: r.rowsPerSec }));
  const sizes = rows.map((r) => r.rows);
  // A log axis once the sizes span a decade (100k to 1M), so the small uploads do not bunch up.
  const log = Math.max(...sizes) / Math.min(...sizes) >= 10;
  const title = 'Ingestion throughput against rows loaded (rows/s, higher is better)';
  // The targets of the stores measured, as dashed rules with their label.
  const targets = INGEST_TARGETS.filter((t) => rows.some((r) => r.series.startsWith(t.store))).map((t) => ({
    rowsPerSec: t.rowsPerSec,
    label: `${t.store} target (with relationships)`,
  }));
  const y = { field: 'rowsPerSec', type: 'quantitative', title: 'rows per second' } as const;
  return [
    {
      file: 'ingest-throughput.svg',
      title,
      spec: {
        ...BASE,
        title,
        layer: [
          {
            data: { values: rows },
            mark: { type: 'line', point: true, tooltip: true },
            encoding: {
              x: {
                field: 'rows',
                type: 'quantitative',
                title: 'rows in the upload',
                scale: log ? { type: 'log' } : { zero: false },
              },
              y,
              color: { field: 'series', type: 'nominal', title: 'store · file shape' },
            },
          },
          {
            data: { values: targets },
            mark: { type: 'rule', strokeDash: [6, 4], color: '#888' },
            encoding: { y },
          },
          {
            data: { values: targets },
            mark: { type: 'text', align: 'left', baseline: 'bottom', x: 4, dy: -2, color: '#555' },
            encoding: { y, text: { field: 'label' } },
          },
        ],
      },
    },
  ];
}

export function graphChart(results: BenchResults): Chart[] {
  const g = results.graph;
  if (!g) return [];
  const rows = g.queries.flatMap((q) => percentileRows(q.name, q.latencyMs));
  return [percentileChart('graph-latency.svg', 'Graph traversal latency percentiles (ms)', rows)];
}

/** Gateway throughput per configuration over the runs in history.jsonl: a regression is a step. */
export function historyChart(entries: readonly HistoryEntry[]): Chart[] {
  const rows = entries.flatMap((e, run) =>
    Object.entries(e.gateway ?? {}).map(([config, f]) => ({
      run: run + 1,
      date: e.date,
      commit: e.commit.slice(0, 8),
      config,
      requestsPerSec: f.requestsPerSec,
    })),
  );
  if (rows.length === 0) return [];
  const title = 'Gateway throughput per configuration over runs (req/s)';
  return [
    {
      file: 'history-gateway.svg',
      title,
      spec: {
        ...BASE,
        title,
        data: { values: rows },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: {
            field: 'run',
            type: 'quantitative',
            title: 'run (history.jsonl line)',
            axis: { tickMinStep: 1 },
          },
          y: { field: 'requestsPerSec', type: 'quantitative', title: 'requests per second' },
          color: { field: 'config', type: 'nominal', title: 'configuration' },
        },
      },
    },
  ];
}

/** Every chart the figures allow, in the order latest.md shows them. */
export function chartsFor(results: BenchResults, history: readonly HistoryEntry[]): Chart[] {
  return [
    ...gatewayCharts(results),
    ...ingestChart(results),
    ...graphChart(results),
    ...historyChart(history),
  ];
}

/** Every file name a chart can have, so charts of inputs that are gone are removed. */
export const CHART_FILES = [
  'gateway-throughput.svg',
  'gateway-cpu.svg',
  'gateway-latency.svg',
  'ingest-throughput.svg',
  'graph-latency.svg',
  'history-gateway.svg',
] as const;
