import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  cpuSeconds,
  peakRssMiB,
  rssMiB,
  startPostgres,
  startService,
  startTokenAuthority,
  type PostgresServer,
  tempDir,
  type RunningService,
} from '@aegis/testing';
import { writeWellsCsv, type WellFileShape } from './generate';
import { summariseProfiles, type ProfileSummary } from './profile';

/**
 * CSV ingestion benchmark (issue 5): generates well CSV files (100k and 1M rows by default) into a temp
 * dir, starts the real knowledge-graph (SQLite) and ingestion services as processes with a local token
 * authority, uploads each file over HTTP (multipart, streamed from disk) to ingestion directly, and
 * reports rows/s (upload start to the 201, commit included) and the ingestion process's peak RSS
 * (VmHWM), with RSS samples during the upload to show whether memory stays flat.
 * Env: BENCH_INGEST_ROWS (comma list, default 100000,1000000), BENCH_INGEST_SHAPES (plain,full),
 * BENCH_INGEST_STORES (sqlite,postgres: the knowledge graph's store), BENCH_INGEST_PG_ROWS (rows on
 * PostgreSQL, default 100000), BENCH_INGEST_CPU_PROF (a directory: both services are profiled and the
 * top frames recorded). A quick run: BENCH_INGEST_ROWS=100000.
 * Prints the figures and writes bench/results/ingest.json.
 */

const ROWS = (process.env.BENCH_INGEST_ROWS ?? '100000,1000000').split(',').map(Number);
/** Row counts on PostgreSQL (100k by default: a 1M-row load there takes minutes of the bench's 10). */
const PG_ROWS = (process.env.BENCH_INGEST_PG_ROWS ?? '100000').split(',').map(Number);
const SHAPES = (process.env.BENCH_INGEST_SHAPES ?? 'plain,full').split(',') as WellFileShape[];
/** The knowledge graph's store: SQLite (file, WAL) and/or PostgreSQL (a throwaway local server). */
const STORES = (process.env.BENCH_INGEST_STORES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];
/** When set, both services run with --cpu-prof into this directory and the summary is recorded. */
const CPU_PROF_DIR = process.env.BENCH_INGEST_CPU_PROF;
const profEnv = (name: string): Record<string, string> =>
  CPU_PROF_DIR
    ? {
        // NODE_OPTIONS refuses --cpu-prof; the preload does the same through the inspector.
        NODE_OPTIONS: `--require ${path.resolve(__dirname, 'cpu-prof-preload.cjs')}`,
        AEGIS_CPU_PROF_DIR: path.resolve(CPU_PROF_DIR, name),
      }
    : {};

interface Run {
  store: 'sqlite' | 'postgres';
  rows: number;
  shape: WellFileShape;
  file_mib: number;
  status: number;
  seconds: number;
  rows_per_s: number;
  ingestion_peak_rss_mib: number;
  ingestion_rss_samples_mib: number[];
  knowledge_graph_peak_rss_mib: number;
  /** CPU seconds each process spent on the upload: who the bottleneck is. */
  ingestion_cpu_s: number;
  knowledge_graph_cpu_s: number;
  job: Record<string, unknown>;
  /** /proc/loadavg before and after the upload: the machine is shared, figures are noisy. */
  loadavg_before: string;
  loadavg_after: string;
  /** With BENCH_INGEST_CPU_PROF: where each process spent its CPU. */
  profiles?: { knowledge_graph: ProfileSummary[]; ingestion: ProfileSummary[] };
}

export const loadavg = (): string => {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return 'n/a';
  }
};

function upload(
  url: string,
  token: string,
  file: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const boundary = '----aegis-bench';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="data_type"\r\n\r\nwells\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + fs.statSync(file).size + tail.length;
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/ingest/operator/csv`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(length),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.write(head);
    const stream = fs.createReadStream(file);
    stream.on('error', reject);
    stream.on('end', () => req.end(tail));
    stream.pipe(req, { end: false });
  });
}

async function main(): Promise<void> {
  const dir = tempDir('bench-ingest');
  const authority = await startTokenAuthority();
  const token = await authority.sign({ roles: ['operator'], tenant_id: 'bench' });
  const runs: Run[] = [];
  try {
    for (const store of STORES)
      for (const rows of store === 'postgres' ? PG_ROWS : ROWS) {
        for (const shape of SHAPES) {
          const label = `${store}-${shape}-${rows}`;
          const file = path.join(dir, `wells-${shape}-${rows}.csv`);
          // Written once, reused by the other store.
          const bytes = fs.existsSync(file) ? fs.statSync(file).size : await writeWellsCsv(file, rows, shape);
          // Fresh services and stores per run, so runs do not influence each other.
          const auth = {
            JWKS_URL: authority.jwksUrl,
            REVOCATIONS_URL: authority.revocationsUrl,
            LOG_LEVEL: 'warn',
          };
          const procs: RunningService[] = [];
          let pg: PostgresServer | undefined;
          try {
            pg = store === 'postgres' ? await startPostgres() : undefined;
            const kg = await startService({
              name: 'knowledge-graph',
              env: {
                ...auth,
                DATABASE_URL: pg?.url ?? `sqlite:${path.join(dir, `kg-${label}.db`)}`,
                SEED_DEMO_DATA: 'false',
                ...profEnv(`${label}-knowledge-graph`),
              },
            });
            procs.push(kg);
            const ingestion = await startService({
              name: 'ingestion',
              env: {
                ...auth,
                DATABASE_URL: `sqlite:${path.join(dir, `ingestion-${label}.db`)}`,
                KNOWLEDGE_GRAPH_URL: kg.url,
                MAX_UPLOAD_BYTES: String(1024 * 1024 * 1024),
                KG_COMMIT_TIMEOUT_MS: String(3_600_000),
                ...profEnv(`${label}-ingestion`),
              },
            });
            procs.push(ingestion);
            const pid = ingestion.process.child.pid!;
            const kgPid = kg.process.child.pid!;
            const samples: number[] = [];
            const sampler = setInterval(() => samples.push(Math.round(rssMiB(pid))), 1000);
            const cpu0 = [cpuSeconds(pid), cpuSeconds(kgPid)];
            const loadBefore = loadavg();
            const t0 = performance.now();
            const res = await upload(ingestion.url, token, file);
            const seconds = (performance.now() - t0) / 1000;
            clearInterval(sampler);
            const run: Run = {
              store,
              rows,
              shape,
              file_mib: Math.round((bytes / 1024 / 1024) * 10) / 10,
              status: res.status,
              seconds: Math.round(seconds * 10) / 10,
              rows_per_s: Math.round(rows / seconds),
              ingestion_peak_rss_mib: Math.round(peakRssMiB(pid)),
              ingestion_rss_samples_mib: samples,
              knowledge_graph_peak_rss_mib: Math.round(peakRssMiB(kgPid)),
              ingestion_cpu_s: Math.round((cpuSeconds(pid) - cpu0[0]) * 10) / 10,
              knowledge_graph_cpu_s: Math.round((cpuSeconds(kgPid) - cpu0[1]) * 10) / 10,
              loadavg_before: loadBefore,
              loadavg_after: loadavg(),
              job: Object.fromEntries(
                ['status', 'total_rows', 'accepted_rows', 'rejected_rows', 'created', 'edges_created'].map(
                  (k) => [k, res.body[k] ?? (res.body.job as Record<string, unknown> | undefined)?.[k]],
                ),
              ),
            };
            runs.push(run);
            console.log(
              `${store}: ${rows} rows (${shape}, ${run.file_mib} MiB): HTTP ${res.status} in ${run.seconds} s = ${run.rows_per_s} rows/s; ` +
                `ingestion peak RSS ${run.ingestion_peak_rss_mib} MiB (samples ${samples.length ? `${Math.min(...samples)}–${Math.max(...samples)}` : 'n/a'} MiB); ` +
                `knowledge graph peak RSS ${run.knowledge_graph_peak_rss_mib} MiB; CPU s ingestion ${run.ingestion_cpu_s}, graph ${run.knowledge_graph_cpu_s}`,
            );
          } finally {
            for (const p of procs.reverse()) await p.stop();
            await pg?.stop();
          }
          const last = runs[runs.length - 1];
          if (CPU_PROF_DIR && last?.rows === rows && last.shape === shape && last.store === store) {
            const dirOf = (name: string) => path.resolve(CPU_PROF_DIR, `${label}-${name}`);
            last.profiles = {
              knowledge_graph: summariseProfiles(dirOf('knowledge-graph')),
              ingestion: summariseProfiles(dirOf('ingestion')),
            };
            console.log(JSON.stringify(last.profiles, null, 1));
          }
          writeResults(runs);
        }
      }
  } finally {
    await authority.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  writeResults(runs);
}

/** Writes ingest.json with the runs so far (after each run, so a long run keeps what it finished). */
function writeResults(runs: readonly Run[]): void {
  const out = path.resolve(__dirname, '..', '..', 'results', 'ingest.json');
  fs.writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, runs }, null, 2)}\n`,
  );
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
