import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '@aegis/common';
import {
  startPostgres,
  startService,
  startTokenAuthority,
  tempDir,
  type PostgresServer,
} from '@aegis/testing';
import { GRAPH_SQLITE_PAGE_SIZE, reach } from '@aegis/knowledge-graph';
import { generateGraph } from './generate';
import { latencySummary } from '../stats';

/**
 * Knowledge-graph traversal benchmark (issues 5, 17): generates a graph of 1M entities and 3M edges
 * (10× the demo scale) into SQLite and into PostgreSQL (a throwaway local server), starts the real
 * knowledge-graph service (dist/main.js) as a process on each store, and measures
 * sequential HTTP requests (one client, keep-alive) with a valid token:
 *   GET /graph/Well/{id}?depth=3, GET /impact/outward/Well/{id}?depth=3, GET /impact/inward/Well/{id}?depth=3,
 *   GET /impact/Well/{id} (both ways, depth 3);
 * plus the recursive query alone in process (no HTTP). Start wells are drawn at random (fixed seed).
 * Env: BENCH_GRAPH_ENTITIES (1000000), BENCH_GRAPH_EDGES (3000000), BENCH_GRAPH_REQUESTS (300),
 * BENCH_GRAPH_STORES (sqlite,postgres). A quick run: BENCH_GRAPH_ENTITIES=100000 BENCH_GRAPH_EDGES=300000.
 * Prints the figures and writes bench/results/graph.json: the SQLite figures at the top level (the
 * shape of earlier runs), PostgreSQL's under `postgres`, /proc/loadavg under `loadavg`.
 */

const ENTITIES = Number(process.env.BENCH_GRAPH_ENTITIES ?? 1_000_000);
const EDGES = Number(process.env.BENCH_GRAPH_EDGES ?? 3_000_000);
const REQUESTS = Number(process.env.BENCH_GRAPH_REQUESTS ?? 300);
const STORES = (process.env.BENCH_GRAPH_STORES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];

const loadavg = (): string => {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return 'n/a';
  }
};

const summary = (samples: number[]) => latencySummary(samples, 2);

/** Generates the graph into one store, then measures in process and over HTTP. */
async function benchStore(kind: 'sqlite' | 'postgres', dir: string): Promise<Record<string, unknown>> {
  let pg: PostgresServer | undefined;
  try {
    pg = kind === 'postgres' ? await startPostgres() : undefined;
    const sqliteFile = path.join(dir, 'graph.db');
    const url = pg?.url ?? `sqlite:${sqliteFile}`;
    // The page size the service gives a graph file it creates.
    const store = await openStore({ url, sqlitePageSize: GRAPH_SQLITE_PAGE_SIZE });
    const loadBefore = loadavg();
    let t0 = performance.now();
    const graph = await generateGraph(store, ENTITIES, EDGES, { sqliteFile: pg ? undefined : sqliteFile });
    const generateSec = (performance.now() - t0) / 1000;
    console.log(
      `${kind}: generated ${graph.entities} entities and ${graph.edges} edges in ${generateSec.toFixed(1)} s`,
    );

    let seed = 7;
    const nextWell = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return graph.wells[seed % graph.wells.length];
    };

    // The recursive query alone, in process.
    const inProcess: number[] = [];
    const sizes: number[] = [];
    try {
      for (let i = 0; i < REQUESTS; i += 1) {
        t0 = performance.now();
        const r = await reach(store, graph.tenant, { label: 'Well', id: nextWell() }, 3, 'both', 500);
        inProcess.push(performance.now() - t0);
        sizes.push(r.nodes.length);
      }
    } finally {
      await store.close();
    }

    const authority = await startTokenAuthority();
    const kg = await startService({
      name: 'knowledge-graph',
      env: {
        DATABASE_URL: url,
        JWKS_URL: authority.jwksUrl,
        REVOCATIONS_URL: authority.revocationsUrl,
        SEED_DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
      },
      timeoutMs: 120_000,
    });
    try {
      const token = await authority.sign({ tenant_id: graph.tenant, roles: ['viewer'] });
      const headers = { authorization: `Bearer ${token}` };
      const base = kg.url;
      const measure = async (make: (id: string) => string) => {
        const samples: number[] = [];
        let nodes = 0;
        for (let i = 0; i < 20; i += 1)
          await (await fetch(`${base}${make(nextWell())}`, { headers })).arrayBuffer(); // warm-up
        for (let i = 0; i < REQUESTS; i += 1) {
          const started = performance.now();
          const res = await fetch(`${base}${make(nextWell())}`, { headers });
          const body = (await res.json()) as { nodes?: unknown[]; outward?: { nodes: unknown[] } };
          samples.push(performance.now() - started);
          if (res.status !== 200) throw new Error(`${make('x')} answered ${res.status}`);
          nodes += body.nodes?.length ?? body.outward?.nodes.length ?? 0;
        }
        return { ...summary(samples), mean_nodes: Math.round(nodes / REQUESTS) };
      };
      return {
        graph: {
          entities: graph.entities,
          edges: graph.edges,
          store:
            kind === 'sqlite'
              ? 'SQLite (file, WAL)'
              : 'PostgreSQL (local throwaway server: fsync off, shared_buffers 16MB)',
          generate_seconds: Math.round(generateSec * 10) / 10,
        },
        in_process_reach_depth3: {
          ...summary(inProcess),
          mean_nodes: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length),
        },
        http_graph_depth3: await measure((id) => `/graph/Well/${id}?depth=3`),
        http_impact_outward_depth3: await measure((id) => `/impact/outward/Well/${id}?depth=3`),
        http_impact_inward_depth3: await measure((id) => `/impact/inward/Well/${id}?depth=3`),
        http_impact_both_depth3: await measure((id) => `/impact/Well/${id}?depth=3`),
        loadavg: { before: loadBefore, after: loadavg() },
      };
    } finally {
      await kg.stop();
      await authority.close();
    }
  } finally {
    await pg?.stop();
  }
}

/** Writes graph.json with the stores measured so far (a long run keeps what it finished). */
async function write(byStore: Record<string, Record<string, unknown>>): Promise<void> {
  const { sqlite, ...others } = byStore;
  const results = {
    ...sqlite,
    ...others,
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    at: new Date().toISOString(),
  };
  const out = path.resolve(__dirname, '..', '..', 'results', 'graph.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

async function main(): Promise<void> {
  const dir = tempDir('bench-graph');
  const byStore: Record<string, Record<string, unknown>> = {};
  try {
    for (const kind of STORES) {
      byStore[kind] = await benchStore(kind, dir);
      console.log(JSON.stringify(byStore[kind], null, 2));
      await write(byStore);
      // The next store's data set needs the disk: the SQLite file of 1M/3M is over 1 GB.
      fs.rmSync(path.join(dir, 'graph.db'), { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
