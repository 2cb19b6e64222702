import type { History, RunContext } from './history';
import type { BenchResults, GatewayConfiguration, GatewayFigures, GraphQuery, IngestRun } from './inputs';
import { checkGateway, checkGraph, checkIngest, type TargetCheck } from './targets';

/** One benchmark the orchestrator ran (or tried to) before the report was composed. */
export interface StepOutcome {
  name: string;
  command: string;
  status: 'ok' | 'failed' | 'skipped';
  seconds: number;
  /** Why it failed or was skipped, in a few words. */
  detail?: string;
}

/** What bench/results/latest.json holds: the figures of the run, the targets checked, the charts. */
export interface LatestReport {
  date: string;
  context: RunContext;
  steps?: StepOutcome[];
  /** The files of bench/results/ the report was composed from (and detail pages it links). */
  sources: string[];
  /** Plain sentences: inputs that were absent or unusable, charts that could not be rendered. */
  problems: string[];
  gateway?: Omit<GatewayFigures, 'configurations'> & {
    configurations: (GatewayConfiguration & { requestsPerCpuCoreSec?: number })[];
    targets: TargetCheck[];
  };
  ingest?: { date?: string; loadavg?: string; runs: IngestRun[]; targets: TargetCheck[] };
  graph?: { date?: string; loadavg?: string; queries: GraphQuery[]; targets: TargetCheck[] };
  charts: { file: string; title: string }[];
  history: { file: string; runs: number; invalidLines: number; recent: History['entries'] };
}

/** Requests one CPU-core serves per second: how a platform team sizes replicas. */
export const requestsPerCpuCoreSec = (cpuPer1kRequestsMs: number): number =>
  Math.round(1_000_000 / cpuPer1kRequestsMs);

export function buildReport(input: {
  results: BenchResults;
  context: RunContext;
  history: History;
  charts: { file: string; title: string }[];
  problems: string[];
  sources?: string[];
  steps?: StepOutcome[];
  recentRuns?: number;
}): LatestReport {
  const { results, context, history } = input;
  const report: LatestReport = {
    date: context.date,
    context,
    ...(input.steps ? { steps: input.steps } : {}),
    sources: input.sources ?? [],
    problems: input.problems,
    charts: input.charts,
    history: {
      file: 'history.jsonl',
      runs: history.entries.length,
      invalidLines: history.invalidLines,
      recent: history.entries.slice(-(input.recentRuns ?? 10)),
    },
  };
  if (results.gateway) {
    const g = results.gateway;
    report.gateway = {
      ...g,
      configurations: g.configurations.map((c) =>
        c.cpuPer1kRequestsMs
          ? { ...c, requestsPerCpuCoreSec: requestsPerCpuCoreSec(c.cpuPer1kRequestsMs) }
          : c,
      ),
      targets: checkGateway(g),
    };
  }
  if (results.ingest) {
    const i = results.ingest;
    report.ingest = { date: i.date, loadavg: i.loadavg, runs: i.runs, targets: checkIngest(i) };
  }
  if (results.graph) {
    const g = results.graph;
    report.graph = { date: g.date, loadavg: g.loadavg, queries: g.queries, targets: checkGraph(g) };
  }
  return report;
}
