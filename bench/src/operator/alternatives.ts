import { performance } from 'node:perf_hooks';
import { configHash, defaultRouteTable } from '@aegis/common';
import { compileConfig } from '@aegis/gateway';
import {
  configMapBytes,
  gatewayConfigMap,
  gatewayDocument,
  tenantConfigMap,
  validateTenant,
} from '@aegis/operator';

/**
 * The figures behind docs/adr/0022-operator-at-fleet-scale.md, in process: bytes per tenant in one
 * fleet-wide ConfigMap versus a per-tenant piece, bytes written per change under each delivery
 * design, what each Programmed report costs in a replica's Lease, and the gateway's compile time per
 * change with and without its per-entry cache. `npx tsx bench/src/operator/alternatives.ts`.
 */
const N = Number(process.env.BENCH_OPERATOR_ALT_TENANTS ?? 5000);
const SHARDS = 16;
const MiB = 1_048_576;
const routes = defaultRouteTable();
const tenants = Array.from({ length: N }, (_, i) => ({
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisTenant',
  metadata: {
    name: `b-${String(i).padStart(5, '0')}`,
    namespace: 'aegis',
    uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    generation: 1,
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  spec: {
    displayName: 'Benchmark tenant',
    rateLimit: { requestsPerMinute: 100, burst: 10 },
    config: { region: 'us-central', timezone: 'America/Chicago' },
  },
}));
const evaluations = new Map(tenants.map((t) => [t.metadata.name, validateTenant(t)]));
const whole = gatewayConfigMap(
  'aegis-gateway-config',
  'aegis',
  gatewayDocument(routes, tenants, evaluations),
);
const wholeBytes = configMapBytes(whole.configMap);
const globalOnly = configMapBytes(gatewayConfigMap('g', 'aegis', { ...routes, tenants: [] }).configMap);
const perTenantInWhole = (wholeBytes - globalOnly) / N;
const e = evaluations.get(tenants[0].metadata.name)!;
if (!e.accepted) throw new Error('invalid');
const piece = configMapBytes(tenantConfigMap(tenants[0], e.tenantId, e.spec, 'aegis'));

const time = (fn: () => void, runs = 5) => {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return Math.round(((performance.now() - t0) / runs) * 10) / 10;
};
const entries = tenants.map((t) => ({ name: t.metadata.name, generation: 1, spec: t.spec }));
const doc = { ...routes, tenants: entries };
const cache = new WeakMap();
compileConfig(doc, 'warm', cache);
const changed = () => {
  const copy = [...entries];
  copy[7] = { ...copy[7], generation: 2 };
  return { ...routes, tenants: copy };
};

const figures = {
  tenants: N,
  one_configmap: {
    bytes: wholeBytes,
    bytes_per_tenant: Math.round(perTenantInWhole),
    ceiling_tenants: Math.floor((MiB - globalOnly) / perTenantInWhole),
    bytes_written_per_change: wholeBytes,
  },
  sharded: {
    shards: SHARDS,
    ceiling_tenants: Math.floor((SHARDS * (MiB - globalOnly)) / perTenantInWhole),
    bytes_written_per_change: Math.round(wholeBytes / SHARDS),
    lease_report_bytes: SHARDS * 65,
  },
  per_tenant_pieces: {
    piece_bytes: piece,
    global_bytes: globalOnly,
    ceiling_tenants: 'none (each piece <= 1 MiB)',
    bytes_written_per_change: piece,
    lease_report_bytes: 'watermark: one resourceVersion (~10) + bounded refusal list',
  },
  lease_per_tenant_generations_bytes: N * (12 + 1 + 6 + 2),
  gateway_compile_ms: {
    full_document_no_cache: time(() => compileConfig(changed(), 'x')),
    one_change_with_entry_cache: time(() => compileConfig(changed(), 'x', cache)),
    config_hash_full_document: time(() => configHash(doc)),
  },
};
console.log(JSON.stringify(figures, null, 2));
