import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startService, startTokenAuthority } from '@aegis/testing';
import { percentile } from '../stats';

/**
 * Compliance dashboard benchmark: the real knowledge graph and compliance monitor as
 * processes (SQLite), one operator with BENCH_COMPLIANCE_WELLS wells (5000) on 50 leases, each well
 * with 12 months of production, an authorisation per lease and a Form PR deadline per lease, seeded
 * through the graph's API; then sequential `GET /compliance/dashboard/{operator}` requests (one client,
 * keep-alive, BENCH_COMPLIANCE_REQUESTS, default 10). Target p50 < 1 s. Writes
 * bench/results/compliance.json.
 */
const WELLS = Number(process.env.BENCH_COMPLIANCE_WELLS ?? 5000);
const REQUESTS = Number(process.env.BENCH_COMPLIANCE_REQUESTS ?? 10);
const LEASES = 50;
const AS_OF = '2026-06-20';

async function main(): Promise<void> {
  const authority = await startTokenAuthority();
  const env = { JWKS_URL: authority.jwksUrl, REVOCATIONS_URL: authority.revocationsUrl, LOG_LEVEL: 'warn' };
  const kg = await startService({
    name: 'knowledge-graph',
    env: { ...env, SEED_DEMO_DATA: 'false' },
    timeoutMs: 60_000,
  });
  const monitor = await startService({
    name: 'compliance-monitor',
    env: { ...env, KNOWLEDGE_GRAPH_URL: kg.url, SWEEP_INTERVAL_MS: '0', KG_TIMEOUT_MS: '600000' },
  });
  try {
    const token = await authority.sign({ tenant_id: 'default', roles: ['admin'] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const send = async (method: string, url: string, body: unknown) => {
      const res = await fetch(url, { method, headers, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const api = (n: number) => `42317${String(n).padStart(5, '0')}0000`;
    const t0 = performance.now();
    const leases = Array.from({ length: LEASES }, (_, i) => `L-${i}`);
    await send('POST', `${kg.url}/entities/bulk`, {
      entities: [
        { label: 'Operator', entity_id: 'OP-BENCH', properties: { name: 'Bench' } },
        { label: 'Field', entity_id: 'F-1', properties: { oil_allowable_bbl_per_day: 300 } },
        ...leases.flatMap((l, i) => [
          { label: 'Lease', entity_id: l, properties: {} },
          {
            label: 'FlaringAuthorization',
            entity_id: `A-${i}`,
            properties: {
              status: 'approved',
              effective_date: '2026-01-01',
              expiry_date: '2026-06-29',
              max_volume_mcf_per_day: 500,
            },
          },
          {
            label: 'ComplianceDeadline',
            entity_id: `DL-${i}`,
            properties: {
              title: 'Form PR',
              deadline_type: 'Form PR',
              due_date: `2026-07-${String((i % 28) + 1).padStart(2, '0')}`,
            },
          },
        ]),
      ],
      edges: leases.flatMap((l, i) => [
        { from_label: 'Lease', from_id: l, rel_type: 'IN_FIELD', to_label: 'Field', to_id: 'F-1' },
        {
          from_label: 'FlaringAuthorization',
          from_id: `A-${i}`,
          rel_type: 'AUTHORIZES',
          to_label: 'Lease',
          to_id: l,
        },
        {
          from_label: 'ComplianceDeadline',
          from_id: `DL-${i}`,
          rel_type: 'APPLIES_TO',
          to_label: 'Lease',
          to_id: l,
        },
      ]),
    });
    for (let start = 0; start < WELLS; start += 1000) {
      const ids = Array.from({ length: Math.min(1000, WELLS - start) }, (_, k) => start + k);
      // The 12 months up to June 2026: 2025-07 … 2026-06.
      const months = Array.from({ length: 12 }, (_, m) => {
        const t = 2025 * 12 + 6 + m;
        return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
      });
      await send('POST', `${kg.url}/entities/bulk`, {
        entities: ids.map((n) => ({
          label: 'Well',
          entity_id: api(n),
          properties: {
            status: 'active',
            well_type: 'oil',
            production: months.map((period, m) => ({
              period,
              oil_bbl: 4000 + ((n * 7 + m) % 900),
              gas_mcf: 6000,
              flared_mcf: n % 10 === 0 ? 800 : 0,
            })),
          },
        })),
        edges: ids.flatMap((n) => [
          {
            from_label: 'Well',
            from_id: api(n),
            rel_type: 'OPERATED_BY',
            to_label: 'Operator',
            to_id: 'OP-BENCH',
          },
          {
            from_label: 'Well',
            from_id: api(n),
            rel_type: 'ON_LEASE',
            to_label: 'Lease',
            to_id: leases[n % LEASES],
          },
        ]),
      });
    }
    const seedSeconds = (performance.now() - t0) / 1000;
    console.log(`seeded ${WELLS} wells in ${seedSeconds.toFixed(1)} s`);

    const url = `${monitor.url}/compliance/dashboard/OP-BENCH?as_of=${AS_OF}&months=12`;
    const samples: number[] = [];
    let counts: unknown;
    for (let i = 0; i <= REQUESTS; i += 1) {
      const started = performance.now();
      const res = await fetch(url, { headers });
      const body = (await res.json()) as { counts: unknown; wells: number };
      if (res.status !== 200) throw new Error(`dashboard answered ${res.status}: ${JSON.stringify(body)}`);
      if (i > 0) samples.push(performance.now() - started); // the first is a warm-up
      counts = { wells: body.wells, ...(body.counts as object) };
    }
    const s = [...samples].sort((a, b) => a - b);
    const r = (x: number) => Math.round(x);
    const results = {
      dashboard: {
        wells: WELLS,
        leases: LEASES,
        n: s.length,
        p50_ms: r(percentile(s, 50)),
        p95_ms: r(percentile(s, 95)),
        max_ms: r(s[s.length - 1]),
        answer: counts,
      },
      target: 'p50 < 1000 ms',
      seed_seconds: Math.round(seedSeconds * 10) / 10,
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
      at: new Date().toISOString(),
    };
    console.log(JSON.stringify(results, null, 2));
    const out = path.resolve(__dirname, '..', '..', 'results', 'compliance.json');
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await monitor.stop();
    await kg.stop();
    await authority.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
