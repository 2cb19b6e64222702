import type { HistoryEntry } from './history';
import type { Percentiles } from './inputs';
import type { LatestReport } from './model';
import type { TargetCheck } from './targets';
import { GRAPH_TARGETS } from './targets';

/** bench/results/latest.md from the composed report: charts first, then the tables behind them. */

const fmt = (n: number | undefined, digits = 2): string =>
  n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits });
const load = (l: number[] | string | undefined) =>
  l === undefined ? 'not recorded' : typeof l === 'string' ? l : l.map((x) => x.toFixed(2)).join(' / ');
const mark = (t: TargetCheck) => (t.met === undefined ? 'not measured' : t.met ? '✅ met' : '❌ not met');

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function percentileColumns(all: Percentiles[]): string[] {
  const keys = new Set(all.flatMap((p) => Object.keys(p)));
  return [...keys].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

function targetTable(targets: TargetCheck[]): string {
  return table(
    ['', 'value', 'target', 'outcome'],
    targets.map((t) => [t.what, fmt(t.value), t.rule, mark(t)]),
  );
}

function images(report: LatestReport, prefix: string): string {
  return report.charts
    .filter((c) => c.file.startsWith(prefix))
    .map((c) => `![${c.title}](charts/${c.file})`)
    .join('\n\n');
}

function gatewaySection(report: LatestReport): string[] {
  const g = report.gateway;
  if (!g) return [];
  const ps = percentileColumns(g.configurations.map((c) => c.latencyMs));
  return [
    '## Gateway',
    `From gateway.json (${g.date ?? 'undated'}, load ${load(g.loadavg)}).`,
    images(report, 'gateway-'),
    table(
      ['', 'configuration', 'req/s', 'CPU ms per 1k req', 'req/s per CPU-core', ...ps.map((p) => `${p} ms`)],
      g.configurations.map((c) => [
        c.name,
        c.label,
        fmt(c.requestsPerSec, 0),
        fmt(c.cpuPer1kRequestsMs),
        fmt(c.requestsPerCpuCoreSec, 0),
        ...ps.map((p) => fmt(c.latencyMs[p])),
      ]),
    ),
    `Throughput ratios: ${
      Object.entries(g.ratios)
        .map(([k, v]) => `${k} = ${v}`)
        .join(', ') || 'none stated'
    }. req/s per CPU-core = 1,000,000 / (CPU ms per 1,000 requests): the rate one core sustains.`,
    'Targets:',
    targetTable(g.targets),
    ...Object.entries(g.skipped).map(([name, why]) => `Configuration ${name} was not measured: ${why}.`),
    ...(g.replicas
      ? [
          `Scaling out: ${g.replicas.replicas} replicas sharing Redis behind a round-robin client served ${fmt(g.replicas.requestsPerSec, 0)} req/s in all (per replica ${g.replicas.perReplica.map((r) => fmt(r, 0)).join(', ')})` +
            (g.replicas.quotaExact === undefined
              ? '.'
              : `; the shared quota ${g.replicas.quotaExact ? 'held exactly' : 'was NOT exact'} (${fmt(g.replicas.quotaAllowed, 0)} admitted, at most ${fmt(g.replicas.quotaAllowedMax, 0)} allowed).`),
        ]
      : []),
    ...(g.paced
      ? [
          `Added latency at a fixed ${fmt(g.paced.rate, 0)} req/s (not saturated): p50 ${fmt(g.paced.directP50Ms)} ms direct, ${fmt(g.paced.gatewayP50Ms)} ms through the gateway: **${fmt(g.paced.addedP50Ms)} ms added**.`,
        ]
      : []),
    ...(report.sources.includes('gateway.md')
      ? ['Details of the gateway run: [gateway.md](gateway.md).']
      : []),
  ];
}

const perRow = (cpuSec: number | undefined, rows: number): string =>
  cpuSec === undefined || rows === 0 ? '–' : fmt((cpuSec * 1e6) / rows, 1);

function ingestSection(report: LatestReport): string[] {
  const i = report.ingest;
  if (!i) return [];
  return [
    '## Ingestion',
    `From ingest.json (${i.date ?? 'undated'}, load ${load(i.loadavg)}). \`full\` rows name an operator, lease and field (three edges each); \`plain\` rows none.`,
    images(report, 'ingest-'),
    table(
      [
        'store · shape',
        'rows',
        'rows/s',
        'seconds',
        'CPU µs per row: ingestion',
        'CPU µs per row: knowledge graph',
        'ingestion peak RSS MiB',
        'load',
      ],
      i.runs.map((r) => [
        r.series,
        fmt(r.rows, 0),
        fmt(r.rowsPerSec, 0),
        fmt(r.seconds, 1),
        perRow(r.ingestionCpuSec, r.rows),
        perRow(r.knowledgeGraphCpuSec, r.rows),
        fmt(r.peakRssMiB, 0),
        r.loadavg ?? '–',
      ]),
    ),
    'Where the time goes: the CPU each service spent on an upload, per row. On two cores the two services run side by side, so the slower of the two bounds the rate (1,000,000 / µs per row = rows/s per core).',
    'Targets:',
    targetTable(i.targets),
  ];
}

function graphSection(report: LatestReport): string[] {
  const g = report.graph;
  if (!g) return [];
  const ps = percentileColumns(g.queries.map((q) => q.latencyMs));
  const sizes = [
    ...new Set(g.queries.map((q) => `${fmt(q.entities, 0)} entities / ${fmt(q.edges, 0)} edges`)),
  ];
  return [
    '## Graph traversal',
    `From graph.json (${g.date ?? 'undated'}, load ${load(g.loadavg)}); graph of ${sizes.join(', ')}.`,
    images(report, 'graph-'),
    table(
      ['query', 'store', 'requests', ...ps.map((p) => `${p} ms`), 'load'],
      g.queries.map((q) => [
        q.name,
        q.store ?? '–',
        fmt(q.n, 0),
        ...ps.map((p) => fmt(q.latencyMs[p])),
        q.loadavg ?? '–',
      ]),
    ),
    `Targets (stated for 1,000,000 entities / 3,000,000 edges: p50 < ${GRAPH_TARGETS.p50Ms} ms, p99 < ${GRAPH_TARGETS.p99Ms} ms; a smaller graph only indicates):`,
    targetTable(g.targets),
  ];
}

function historyRow(e: HistoryEntry): string[] {
  const b = e.gateway?.B?.requestsPerSec;
  return [
    e.date.slice(0, 16).replace('T', ' '),
    `\`${e.commit.slice(0, 8)}\`${e.dirty ? ' +changes' : ''}`,
    e.scale ?? '–',
    e.machine.loadavg.map((x) => x.toFixed(1)).join(' / '),
    fmt(b, 0),
    fmt(e.ratios?.['B/E']),
    fmt(e.ratios?.['C/B']),
    fmt(e.ratios?.['B/D']),
  ];
}

function historySection(report: LatestReport): string[] {
  const h = report.history;
  const skipped =
    h.invalidLines > 0 ? ` ${h.invalidLines} line(s) that are not a valid entry were skipped.` : '';
  return [
    '## History',
    `${h.runs} run(s) in history.jsonl (one line per \`npm run bench\`: machine, load, commit, headline figures).${skipped}`,
    images(report, 'history-'),
    ...(h.recent.length > 0
      ? [
          `Last ${h.recent.length} run(s):`,
          table(
            ['date (UTC)', 'commit', 'scale', 'load 1/5/15', 'B req/s', 'B/E', 'C/B', 'B/D'],
            h.recent.map(historyRow),
          ),
        ]
      : []),
  ];
}

export function renderMarkdown(report: LatestReport): string {
  const c = report.context;
  const steps = report.steps ?? [];
  const sections = [
    '# Benchmark results',
    `${report.date} · commit \`${c.commit.slice(0, 12)}\`${c.dirty ? ' (with uncommitted changes)' : ''} · scale \`${c.scale ?? 'unstated'}\` · ${c.machine.cpus} × ${c.machine.model} · load ${load(c.machine.loadavg)} · Node ${c.machine.node}`,
    'Composed by `npm run bench` (bench/src/report) from the figures each benchmark writes: gateway.json, ingest.json, graph.json. The machine is shared: the load average stands next to every set of figures and every line of history.jsonl.',
    ...(report.problems.length > 0
      ? ['## Not in this report', report.problems.map((p) => `- ${p}`).join('\n')]
      : []),
    ...(steps.length > 0
      ? [
          '## This run',
          table(
            ['benchmark', 'outcome', 'seconds', 'command'],
            steps.map((s) => [
              s.name,
              s.detail ? `${s.status}: ${s.detail}` : s.status,
              fmt(s.seconds, 0),
              `\`${s.command}\``,
            ]),
          ),
        ]
      : []),
    ...gatewaySection(report),
    ...ingestSection(report),
    ...graphSection(report),
    ...historySection(report),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}
