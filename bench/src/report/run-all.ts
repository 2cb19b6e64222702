import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { composeReport, runContext } from './compose';
import type { StepOutcome } from './model';
import { benchPlan, STEPS, type Step } from './scale';

/**
 * `npm run bench`: the gateway benchmark, then ingestion, then graph traversal, each as its own
 * process at the sizes of BENCH_SCALE (see scale.ts), then the report (latest.md/json, charts,
 * a history.jsonl line). A benchmark that fails does not stop the others; the report says which
 * failed, and the exit code is 1.
 */

const benchDir = path.resolve(__dirname, '..', '..');
const repoDir = path.resolve(benchDir, '..');
const tsx = path.join(repoDir, 'node_modules', '.bin', 'tsx');

const ENTRIES: Record<Step, string> = {
  gateway: 'src/gateway/run.ts',
  ingest: 'src/ingest/run.ts',
  graph: 'src/graph/run.ts',
};

function run(entry: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [entry], { cwd: benchDir, env, stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(err);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<void> {
  const plan = benchPlan(process.env);
  const started = performance.now();
  const steps: StepOutcome[] = [];
  console.log(`bench: scale ${plan.scale}, steps ${plan.steps.join(', ')}`);
  for (const step of plan.steps) {
    const t0 = performance.now();
    console.log(`\n=== ${step} benchmark (${ENTRIES[step]}) ===`);
    const code = await run(ENTRIES[step], plan.env);
    const seconds = Math.round((performance.now() - t0) / 1000);
    steps.push({
      name: step,
      command: `npm run bench:${step}`,
      status: code === 0 ? 'ok' : 'failed',
      seconds,
      ...(code === 0 ? {} : { detail: `exit ${code}` }),
    });
    console.log(`=== ${step}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${seconds} s ===`);
  }
  for (const step of STEPS.filter((s) => !plan.steps.includes(s)))
    steps.push({
      name: step,
      command: `npm run bench:${step}`,
      status: 'skipped',
      seconds: 0,
      detail: 'not in BENCH_STEPS',
    });
  const { report, charts } = await composeReport({
    resultsDir: path.join(benchDir, 'results'),
    context: runContext(repoDir, plan.scale),
    steps,
  });
  for (const p of report.problems) console.log(`note: ${p}`);
  console.log(
    `\nwrote bench/results/latest.md, latest.json, ${charts.length} chart(s) and a history.jsonl line ` +
      `in ${Math.round((performance.now() - started) / 1000)} s`,
  );
  if (steps.some((s) => s.status === 'failed')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
