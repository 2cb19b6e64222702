import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHART_FILES, chartsFor } from './charts';
import { appendHistory, historyEntry, readHistory, type RunContext } from './history';
import { INPUT_FILES, readResults, type BenchResults, type InputName } from './inputs';
import { renderMarkdown } from './markdown';
import { buildReport, type LatestReport, type StepOutcome } from './model';
import { renderSvg, type RenderSvg } from './render';

export interface ComposeOptions {
  /** Where gateway.json, ingest.json and graph.json are read and latest.*, charts/ and history.jsonl written. */
  resultsDir: string;
  /** Date, commit and machine of the run; `runContext()` when absent. */
  context?: RunContext;
  /** What the orchestrator ran before, shown in latest.md. */
  steps?: StepOutcome[];
  render?: RenderSvg;
}

export interface ComposedReport {
  report: LatestReport;
  markdown: string;
  /** Paths of the SVG files written. */
  charts: string[];
}

const git = (cwd: string, args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/** The date, commit (`git rev-parse HEAD`) and machine (cores, model, load average) of this run. */
export function runContext(cwd: string, scale?: string): RunContext {
  let commit = 'unknown';
  let dirty: boolean | undefined;
  try {
    commit = git(cwd, ['rev-parse', 'HEAD']);
    // The results themselves change with every run; only changes to the code make the commit inexact.
    dirty = git(cwd, ['status', '--porcelain', '--', '.', ':(exclude)bench/results']) !== '';
  } catch {
    // Not a git checkout (an unpacked tarball): the commit stays `unknown`.
  }
  return {
    date: new Date().toISOString(),
    commit,
    ...(dirty !== undefined ? { dirty } : {}),
    ...(scale ? { scale } : {}),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model.trim() ?? 'unknown',
      loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
      node: process.version,
    },
  };
}

/**
 * Reads bench/results/{gateway,ingest,graph}.json (whichever exist), appends one line to
 * history.jsonl when there is any figure, renders the charts to charts/*.svg and writes latest.md and
 * latest.json. An absent or unusable input, or a chart that cannot be rendered, is stated in the
 * report ("Not in this report"), never thrown.
 */
export async function composeReport(options: ComposeOptions): Promise<ComposedReport> {
  const dir = options.resultsDir;
  const render = options.render ?? renderSvg;
  const context = options.context ?? runContext(dir);
  const results = readResults(dir);
  const problems = [...results.problems];

  // With the orchestrator's steps, figures of a benchmark that failed or did not run are an earlier
  // run's: latest.md says so, and history.jsonl records only what this run measured.
  const fresh: BenchResults = { ...results };
  for (const step of options.steps ?? []) {
    const name = step.name as InputName;
    if (step.status === 'ok' || !(name in INPUT_FILES)) continue;
    const figures = results[name];
    if (figures)
      problems.push(
        `The ${name} benchmark ${step.status === 'failed' ? `failed in this run (${step.detail ?? 'no detail'})` : 'did not run this time'}: ` +
          `its figures below are from an earlier run (${figures.date ?? 'undated'}).`,
      );
    delete fresh[name];
  }
  const historyFile = path.join(dir, 'history.jsonl');
  if (fresh.gateway || fresh.ingest || fresh.graph) appendHistory(historyFile, historyEntry(fresh, context));
  else problems.push('No benchmark figures from this run: nothing was added to history.jsonl.');
  const history = readHistory(historyFile);

  const chartDir = path.join(dir, 'charts');
  fs.mkdirSync(chartDir, { recursive: true });
  const written: string[] = [];
  const rendered: { file: string; title: string }[] = [];
  for (const chart of chartsFor(results, history.entries)) {
    try {
      const svg = await render(chart.spec);
      const file = path.join(chartDir, chart.file);
      fs.writeFileSync(file, svg.endsWith('\n') ? svg : `${svg}\n`);
      written.push(file);
      rendered.push({ file: chart.file, title: chart.title });
    } catch (err) {
      problems.push(`Chart ${chart.file} could not be rendered: ${(err as Error).message}`);
    }
  }
  // A chart of an input that is gone this time would otherwise stay behind, out of date.
  for (const name of CHART_FILES)
    if (!rendered.some((c) => c.file === name)) fs.rmSync(path.join(chartDir, name), { force: true });

  const sources = [...Object.values(INPUT_FILES), 'gateway.md'].filter((f) =>
    fs.existsSync(path.join(dir, f)),
  );
  const report = buildReport({
    results,
    context,
    history,
    charts: rendered,
    problems,
    sources,
    steps: options.steps,
  });
  const markdown = renderMarkdown(report);
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), markdown);
  return { report, markdown, charts: written };
}
