import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore, serviceByName, sql, type Insertable } from '@aegis/common';
import {
  assessTenant,
  FLARING_MIGRATIONS,
  SERVICE_NAME,
  type FlaringDatabase,
  type FlaringStore,
} from '@aegis/flaring-monitor';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import {
  peakRssMiB,
  startedSet,
  startGateway,
  startPostgres,
  startService,
  startTokenAuthority,
  tempDir,
  writeGatewayFiles,
} from '@aegis/testing';
import { latencySummary } from '../stats';

/**
 * Flaring assessment benchmark: WELLS wells (default 10,000), each with one
 * FlaringAuthorization that AUTHORIZES it, and a year of daily flare events per well (365 × WELLS rows,
 * 3.65 M by default). The wells and authorisations are seeded in bulk into a real knowledge-graph
 * process (SQLite) through its `POST /entities/bulk`; the flare events are written straight into the
 * flaring monitor's database (its migrations, then one transaction of multi-row inserts: HTTP would
 * take hours), then the real flaring-monitor and gateway processes start on it. Measured:
 *   - `POST /api/v1/flaring/assess {well_id, as_of}` through the gateway for random wells (fixed seed),
 *     sequential, one keep-alive client: p50/p95/p99 (target p50 < 200 ms);
 *   - one tenant-wide `assessTenant` (what the scheduled sweep runs), in this process on the same
 *     database and knowledge graph.
 * Options (or env): `--wells N` (BENCH_FLARING_WELLS), `--requests N` (BENCH_FLARING_REQUESTS, 300),
 * `--store sqlite|postgres` (BENCH_FLARING_STORE, sqlite; postgres starts a server from the machine's
 * binaries). Prints the figures and writes bench/results/flaring.json (flaring-postgres.json for
 * PostgreSQL).
 */

const arg = (name: string, env: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : (process.env[env] ?? fallback);
};
const WELLS = Number(arg('wells', 'BENCH_FLARING_WELLS', '10000'));
const REQUESTS = Number(arg('requests', 'BENCH_FLARING_REQUESTS', '300'));
const STORE = arg('store', 'BENCH_FLARING_STORE', 'sqlite');
const DAYS = 365;
const TENANT = 'bench';
/** The assessment date: the last day of the year of events. */
const AS_OF = '2026-06-20';
const FIRST_DAY = Date.parse('2025-06-21T00:00:00Z');
const DAY_MS = 86_400_000;
/** Rows per INSERT: 16 columns × 1000 stays under SQLite's 32,766 bound parameters. */
const INSERT_ROWS = 1000;

const api = (n: number) => `42317${String(n + 1).padStart(5, '0')}0000`;
const day = (d: number) => new Date(FIRST_DAY + d * DAY_MS).toISOString().slice(0, 10);

const summary = (samples: number[]) => latencySummary(samples, 1);

/** A well's daily volume (mcf): 40–119 depending on the well, so the wells fall at different shares of
 * their authorised volume. */
const dailyVolume = (n: number, d: number) => 40 + ((n * 37) % 80) + (d % 7);

/** The knowledge graph's wells and authorisations: one authorisation per well, approved for the whole
 * year (its authorised days are capped at Rule 32's 180), 100 mcf/day; one well in 20 spudded after
 * 2021-11-15 (NSPS OOOOb). */
async function seedGraph(kgUrl: string, token: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  for (let start = 0; start < WELLS; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, WELLS - start) }, (_, k) => start + k);
    const res = await fetch(`${kgUrl}/entities/bulk`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        entities: ids.flatMap((n) => [
          {
            label: 'Well',
            entity_id: api(n),
            properties: { status: 'active', spud_date: n % 20 === 0 ? '2023-03-01' : '2015-03-01' },
          },
          {
            label: 'FlaringAuthorization',
            entity_id: `A-${n}`,
            properties: {
              status: 'approved',
              effective_date: day(0),
              expiry_date: day(DAYS - 1),
              max_volume_mcf_per_day: 100,
            },
          },
        ]),
        edges: ids.map((n) => ({
          from_label: 'FlaringAuthorization',
          from_id: `A-${n}`,
          rel_type: 'AUTHORIZES',
          to_label: 'Well',
          to_id: api(n),
        })),
      }),
    });
    if (res.status >= 300) throw new Error(`bulk seed answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
}

/** The flare events, in the flaring monitor's own schema, one transaction. */
async function seedEvents(store: FlaringStore): Promise<void> {
  await store.migrate(SERVICE_NAME, FLARING_MIGRATIONS);
  const at = new Date().toISOString();
  await store.transaction(async (tx) => {
    let batch: Insertable<FlaringDatabase['flare_events']>[] = [];
    const flush = async () => {
      if (batch.length > 0) await tx.db.insertInto('flare_events').values(batch).execute();
      batch = [];
    };
    for (let n = 0; n < WELLS; n += 1)
      for (let d = 0; d < DAYS; d += 1) {
        const seq = String(n * DAYS + d).padStart(12, '0');
        const start = new Date(FIRST_DAY + d * DAY_MS + 8 * 3_600_000).toISOString();
        batch.push({
          event_id: `fe-00000000-0000-4000-8000-${seq}`,
          tenant_id: TENANT,
          well_id: api(n),
          authorization_id: `A-${n}`,
          start_time: start,
          end_time: new Date(Date.parse(start) + 4 * 3_600_000).toISOString(),
          volume_mcf: dailyVolume(n, d),
          disposition: '10',
          cause: 'routine',
          status: 'open',
          source: 'scada',
          source_reading_id: `R-${seq}`,
          correlated: '[]',
          created_by: 'bench',
          created_at: at,
          updated_at: at,
        });
        if (batch.length >= INSERT_ROWS) await flush();
      }
    await flush();
  });
}

const unlimited = { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } };
const prefixes = (name: string) =>
  serviceByName(name).routes.map((r) => ({ prefix: r.prefix, service: name, timeoutMs: r.timeoutMs }));

async function main(): Promise<void> {
  const running = startedSet();
  const dir = tempDir('bench-flaring');
  const authority = await startTokenAuthority();
  try {
    const env = { JWKS_URL: authority.jwksUrl, REVOCATIONS_URL: authority.revocationsUrl, LOG_LEVEL: 'warn' };
    const token = await authority.sign({ tenant_id: TENANT, roles: ['admin'] });
    const kg = running.started(
      await startService({
        name: 'knowledge-graph',
        env: { ...env, SEED_DEMO_DATA: 'false', DATABASE_URL: `sqlite:${path.join(dir, 'graph.db')}` },
        timeoutMs: 60_000,
      }),
    );
    let t0 = performance.now();
    await seedGraph(kg.url, token);
    const graphSeconds = (performance.now() - t0) / 1000;
    console.log(
      `seeded ${WELLS} wells and authorisations into the knowledge graph in ${graphSeconds.toFixed(1)} s`,
    );

    let databaseUrl = `sqlite:${path.join(dir, 'flaring.db')}`;
    if (STORE === 'postgres') {
      const pg = await startPostgres();
      running.started({ stop: () => pg.stop() });
      databaseUrl = pg.url;
    }
    const store = await openStore<FlaringDatabase>({ url: databaseUrl });
    t0 = performance.now();
    await seedEvents(store);
    const eventSeconds = (performance.now() - t0) / 1000;
    const rows = WELLS * DAYS;
    console.log(`inserted ${rows} flare events (${STORE}) in ${eventSeconds.toFixed(1)} s`);
    const storeMiB =
      STORE === 'postgres'
        ? await storeSizePostgres(store)
        : fs.statSync(path.join(dir, 'flaring.db')).size / 2 ** 20;

    const flaring = running.started(
      await startService({
        name: 'flaring-monitor',
        env: {
          ...env,
          DATABASE_URL: databaseUrl,
          KNOWLEDGE_GRAPH_URL: kg.url,
          SWEEP_INTERVAL_MS: '0',
          KG_TIMEOUT_MS: '600000',
        },
        timeoutMs: 120_000,
      }),
    );
    const files = writeGatewayFiles({
      services: { 'flaring-monitor': flaring.url },
      routes: prefixes('flaring-monitor'),
      tenants: [{ name: TENANT, spec: unlimited }],
    });
    const gateway = running.started(await startGateway({ files, authority }));

    // One well per request, drawn at random (fixed seed); the first 10 are a warm-up.
    let seed = 11;
    const nextWell = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % WELLS;
    };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const samples: number[] = [];
    let example: unknown;
    for (let i = 0; i < REQUESTS + 10; i += 1) {
      const n = nextWell();
      const started = performance.now();
      const res = await fetch(`${gateway.url}/api/v1/flaring/assess`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ well_id: api(n), as_of: AS_OF }),
      });
      const body = (await res.json()) as {
        level: string;
        authorizations: { cumulative_volume_mcf?: number; events?: number }[];
        summary: unknown;
      };
      if (i >= 10) samples.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`assess answered ${res.status}: ${JSON.stringify(body)}`);
      if (body.authorizations.length !== 1) throw new Error(`well ${api(n)}: ${JSON.stringify(body)}`);
      example ??= { well_id: api(n), level: body.level, summary: body.summary };
    }
    const perWell = summary(samples);
    console.log(`POST /api/v1/flaring/assess (one well) through the gateway: ${JSON.stringify(perWell)}`);

    // The sweep's tenant-wide assessment, in this process, on the same database and graph.
    const kgClient = createKnowledgeGraphClient({
      baseUrl: kg.url,
      timeoutMs: 600_000,
      commitTimeoutMs: 600_000,
    });
    t0 = performance.now();
    const tenantWide = await assessTenant(
      { store, kg: kgClient, now: () => Date.parse(`${AS_OF}T12:00:00Z`) },
      { token, tenantId: TENANT },
      AS_OF,
    );
    const tenantSeconds = (performance.now() - t0) / 1000;
    if (tenantWide.authorizations.length !== WELLS)
      throw new Error(`tenant assessment: ${tenantWide.authorizations.length} authorisations`);
    console.log(`assessTenant (${WELLS} authorisations, ${rows} events): ${tenantSeconds.toFixed(2)} s`);
    await store.close();

    const r1 = (x: number) => Math.round(x * 10) / 10;
    const results = {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      node: process.version,
      store: STORE,
      wells: WELLS,
      authorizations: WELLS,
      flare_events: rows,
      days_per_well: DAYS,
      as_of: AS_OF,
      seed_seconds: { graph: r1(graphSeconds), flare_events: r1(eventSeconds) },
      store_mib: r1(storeMiB),
      assess_one_well_via_gateway: { ...perWell, target_p50_ms: 200, example },
      assess_tenant: {
        seconds: Math.round(tenantSeconds * 100) / 100,
        authorizations: tenantWide.authorizations.length,
        alerts: tenantWide.alerts.length,
        summary: tenantWide.summary,
      },
      peak_rss_mib: {
        flaring_monitor: r1(peakRssMiB(flaring.process.child.pid!)),
        knowledge_graph: r1(peakRssMiB(kg.process.child.pid!)),
        gateway: r1(peakRssMiB(gateway.process.child.pid!)),
        /** This process ran assessTenant: its peak is the tenant-wide assessment's. */
        bench_process: r1(process.resourceUsage().maxRSS / 1024),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    const out = path.resolve(
      __dirname,
      '..',
      '..',
      'results',
      STORE === 'postgres' ? 'flaring-postgres.json' : 'flaring.json',
    );
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await running.stopAll();
    await authority.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function storeSizePostgres(store: FlaringStore): Promise<number> {
  const r = await sql<{ bytes: string }>`select pg_total_relation_size('flare_events') as bytes`.execute(
    store.db,
  );
  return Number(r.rows[0].bytes) / 2 ** 20;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
