import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '@aegis/common';
import {
  commitImport,
  createImport,
  KG_MIGRATIONS,
  prepareBatch,
  stageItems,
  type EdgeItem,
  type EntityItem,
} from '@aegis/knowledge-graph';
import { tempDir } from '@aegis/testing';

/**
 * The knowledge graph's import path alone, in process (ADR 0026, third round): the items ingestion
 * sends for `full` well rows (the same keys as generate.ts: a well, then its operator, lease and field
 * once per import, and an edge to each), in batches of at most 5,000 items, staged and committed into a
 * SQLite file store. Prints the CPU of the three phases (validate, stage, commit), so a change to the
 * store can be judged without HTTP or the ingestion service, which the end-to-end run adds.
 * Env: BENCH_KG_STORE_ROWS (default 100000), BENCH_KG_STORE_RUNS (default 1).
 */

const ROWS = Number(process.env.BENCH_KG_STORE_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_KG_STORE_RUNS ?? 1);
const BATCH_ITEMS = 5000;
const COUNTIES = ['329', '317', '227', '389', '301', '475', '461', '383', '173', '003', '135', '109'];

function* batches(rows: number): Generator<{ entities: EntityItem[]; edges: EdgeItem[] }> {
  const sent = new Set<string>();
  let entities: EntityItem[] = [];
  let edges: EdgeItem[] = [];
  for (let i = 0; i < rows; i += 1) {
    if (entities.length + edges.length + 7 > BATCH_ITEMS) {
      yield { entities, edges };
      entities = [];
      edges = [];
    }
    const unique = String(Math.floor(i / COUNTIES.length) % 100_000).padStart(5, '0');
    const side = String(Math.floor(i / (COUNTIES.length * 100_000))).padStart(2, '0');
    const api = `42${COUNTIES[i % COUNTIES.length]}${unique === '00000' ? '99999' : unique}${side}00`;
    const related = [
      ['Operator', `OP-${100_000 + (i % 50)}`, 'OPERATED_BY'],
      ['Lease', `LSE-08-${40_000 + (i % 20_000)}`, 'ON_LEASE'],
      ['Field', `FLD-${85_279_300 + (i % 20)}`, 'IN_FIELD'],
    ] as const;
    entities.push({
      label: 'Well',
      entity_id: api,
      properties: {
        api_number: api,
        name: `BENCH ${i}H`,
        operator_number: String(100_000 + (i % 50)),
        lease_number: String(40_000 + (i % 20_000)),
        district: '08',
        field_number: String(85_279_300 + (i % 20)),
        well_status: 'PRODUCING',
        spud_date: `${2015 + (i % 9)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        total_depth_ft: 9000 + (i % 12_000),
        latitude: 31 + ((i * 7919) % 10_000) / 10_000,
        longitude: -103 + ((i * 104_729) % 10_000) / 10_000,
      },
    });
    for (const [label, id, rel] of related) {
      if (!sent.has(id)) {
        sent.add(id);
        entities.push({ label, entity_id: id, properties: { name: id } });
      }
      edges.push({
        from_label: 'Well',
        from_id: api,
        rel_type: rel,
        to_label: label,
        to_id: id,
        properties: {},
      });
    }
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
      const store = await openStore({ url: `sqlite:${file}` });
      await store.migrate('knowledge-graph', KG_MIGRATIONS);
      const now = new Date().toISOString();
      const load = loadavg();
      const t0 = performance.now();
      const all = process.cpuUsage();
      const id = await createImport(store, 'bench', now);
      let validate = 0;
      let stage = 0;
      for (const body of batches(ROWS)) {
        const c = process.cpuUsage();
        const batch = await prepareBatch(store, 'bench', body);
        validate += cpuMs(c);
        const s = process.cpuUsage();
        await stageItems(store, 'bench', id, batch, now);
        stage += cpuMs(s);
      }
      const c = process.cpuUsage();
      const counts = await commitImport(store, 'bench', id, now);
      const commit = cpuMs(c);
      const total = cpuMs(all);
      const seconds = (performance.now() - t0) / 1000;
      await store.close();
      console.log(
        `${ROWS} full rows: ${Math.round(ROWS / seconds)} rows/s in process; CPU ms validate ${validate}, stage ${stage}, ` +
          `commit ${commit}, total ${total} (${Math.round((total * 1000) / ROWS)} µs per row); ` +
          `${JSON.stringify(counts)}; ${Math.round(fs.statSync(file).size / 1048576)} MiB; load ${load}`,
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
