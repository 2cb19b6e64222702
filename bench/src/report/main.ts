import path from 'node:path';
import { composeReport, runContext } from './compose';

/**
 * `npm run bench:report`: composes bench/results/latest.{md,json}, the charts and a history.jsonl
 * line from the figures the benchmarks last wrote, without running any benchmark.
 * Env: BENCH_RESULTS_DIR (default bench/results), BENCH_SCALE (recorded with the run).
 */
async function main(): Promise<void> {
  const dir = path.resolve(process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, '..', '..', 'results'));
  const { report, charts } = await composeReport({
    resultsDir: dir,
    context: runContext(path.join(__dirname, '..', '..', '..'), process.env.BENCH_SCALE),
  });
  for (const p of report.problems) console.log(`note: ${p}`);
  console.log(
    `wrote ${path.join(dir, 'latest.md')}, latest.json and ${charts.length} chart(s) under charts/`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
