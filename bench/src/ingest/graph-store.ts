import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '@aegis/common';
import {
  commitImport,
  createImport,
  DirectImports,
  GRAPH_SQLITE_PAGE_SIZE,
  KG_MIGRATIONS,
  prepareBatch,
  stageItems,
} from '@aegis/knowledge-graph';
import {
  compileRowValidator,
  mapHeaders,
  MAX_ITEMS_PER_ROW,
  toGraphItems,
  type EdgeItem,
  type EntityItem,
} from '@aegis/ingestion';
import { tempDir } from '@aegis/testing';
import { wellCells, wellHeader } from './generate';

/**
 * The knowledge graph's import path alone, in process (ADR 0026, third round): the items ingestion
 * sends for `full` well rows (generate.ts's rows, mapped by the ingestion service's own header mapping,
 * validator and graph items; a row's operator, lease and field are sent once per import), in batches
 * of at most 5,000 items, loaded into a SQLite file store as the service does (ADR 0032: written as
 * they arrive, or with BENCH_KG_STORE_MODE=staged staged and committed). Prints the CPU of the three
 * phases (validate, stage, commit), so a change to the store can be judged without HTTP or the
 * ingestion service, which the end-to-end run adds. Applied as they arrive, a batch is written after
 * `stage` answers, so its writing counts in the next batch's figures.
 * Env: BENCH_KG_STORE_ROWS (default 100000), BENCH_KG_STORE_RUNS (default 1), BENCH_KG_STORE_MODE.
 */

const ROWS = Number(process.env.BENCH_KG_STORE_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_KG_STORE_RUNS ?? 1);
const BATCH_ITEMS = 5000;
/** Imports applied as they arrive (the service's default on a SQLite file), or staged: `staged`. */
const DIRECT = process.env.BENCH_KG_STORE_MODE !== 'staged';

function* batches(rows: number): Generator<{ entities: EntityItem[]; edges: EdgeItem[] }> {
  const validate = compileRowValidator('wells', mapHeaders('wells', wellHeader('full')));
  const sent = new Set<string>();
  const stored = (label: string, id: string) => sent.has(`${label}\u0000${id}`);
  let entities: EntityItem[] = [];
  let edges: EdgeItem[] = [];
  for (let i = 0; i < rows; i += 1) {
    const result = validate(wellCells(i, 'full'));
    if (!result.ok) throw new Error(`row ${i} is invalid: ${JSON.stringify(result.issues)}`);
    const items = toGraphItems('wells', result.record, stored);
    if (entities.length + edges.length + MAX_ITEMS_PER_ROW > BATCH_ITEMS) {
      yield { entities, edges };
      entities = [];
      edges = [];
    }
    entities.push(...items.entities);
    for (const e of items.related) {
      sent.add(`${e.label}\u0000${e.entity_id}`);
      entities.push(e);
    }
    edges.push(...items.edges);
  }
  if (entities.length + edges.length > 0) yield { entities, edges };
}

const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').trim();

const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return Math.round((c.user + c.system) / 1000);
};

async function main(): Promise<void> {
  const dir = tempDir('bench-kg-store');
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const file = path.join(dir, `kg-${run}.db`);
      const main = await openStore({ url: `sqlite:${file}`, sqlitePageSize: GRAPH_SQLITE_PAGE_SIZE });
      await main.migrate('knowledge-graph', KG_MIGRATIONS);
      const direct = DIRECT ? await DirectImports.open(main, `sqlite:${file}`) : undefined;
      const store = direct?.store ?? main;
      const now = new Date().toISOString();
      const load = loadavg();
      const t0 = performance.now();
      const all = process.cpuUsage();
      const id = await createImport(store, 'bench', now);
      let validate = 0;
      let stage = 0;
      // Building the items is the ingestion service's work: its CPU and time are left out.
      let build = 0;
      let buildSeconds = 0;
      const bodies = batches(ROWS);
      for (;;) {
        const b = process.cpuUsage();
        const b0 = performance.now();
        const next = bodies.next();
        build += cpuMs(b);
        buildSeconds += (performance.now() - b0) / 1000;
        if (next.done) break;
        const body = next.value;
        const c = process.cpuUsage();
        const batch = await prepareBatch(store, 'bench', body);
        validate += cpuMs(c);
        const s = process.cpuUsage();
        if (direct) await direct.stage('bench', id, batch, now);
        else await stageItems(store, 'bench', id, batch, now);
        stage += cpuMs(s);
      }
      const c = process.cpuUsage();
      const counts = direct
        ? await direct.commit('bench', id, now)
        : await commitImport(store, 'bench', id, now);
      const commit = cpuMs(c);
      const total = cpuMs(all) - build;
      const seconds = (performance.now() - t0) / 1000 - buildSeconds;
      await direct?.close();
      await store.close();
      console.log(
        `${ROWS} full rows: ${Math.round(ROWS / seconds)} rows/s in process; CPU ms validate ${validate}, stage ${stage}, ` +
          `commit ${commit}, total ${total} (${Math.round((total * 1000) / ROWS)} µs per row); ` +
          `${JSON.stringify(counts)}; ${Math.round(fs.statSync(file).size / 1048576)} MiB; items built in ${build} ms ` +
          `(not counted); load ${load}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
