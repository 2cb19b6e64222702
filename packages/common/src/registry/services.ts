/** The one list of the platform's deployable services: start-up (scripts/start.mjs), the gateway's
 * and the operator's default route table, the Kubernetes manifests, the tenant `services` enum and
 * the workspace lists read it or are checked against it (docs/adr/0010-service-registry.md).
 * Adding a service is an entry here plus its own folder under services/. */

import type { RouteMethod } from '../gateway-config/document';

/** A public path prefix a service owns in the gateway, with options of that route row. */
export interface ServiceRoute {
  /** Public prefix, matched segment by segment (longest wins), e.g. `/api/v1/auth`. */
  readonly prefix: string;
  /** Upstream response timeout of this row; the gateway default otherwise. */
  readonly timeoutMs?: number;
  /** The methods this row accepts (HEAD follows GET); every method when absent. Another method falls
   * back to the next-longest matching row (docs/adr/0028-method-aware-routes.md). */
  readonly methods?: readonly RouteMethod[];
}

export interface ServiceDefinition<N extends string = string> {
  readonly name: N;
  /** API port (spec/api.md §1). */
  readonly port: number;
  /** Metrics port: port + 1000. */
  readonly adminPort: number;
  /** Workspace folder, relative to the repository root. */
  readonly workspace: `services/${N}`;
  /** npm package name of the workspace. */
  readonly packageName: `@aegis/${N}`;
  /** What `node` runs, relative to the repository root (and to /app in the image). */
  readonly entry: `services/${N}/dist/main.js`;
  /** Gateway prefixes the service owns; empty for an internal service. */
  readonly routes: readonly ServiceRoute[];
  /** Not routed by the gateway: reached by other services only. */
  readonly internal: boolean;
  /** Its workspace exists and builds an entry point. A planned service keeps its routes (the gateway
   * answers 503 for them) but is neither started nor deployed. */
  readonly implemented: boolean;
}

interface ServiceInput<N extends string> {
  name: N;
  port: number;
  implemented: boolean;
  internal?: boolean;
  routes?: readonly (string | ServiceRoute)[];
}

const API = '/api/v1';

/** An entry with the derived fields (admin port, workspace, package, entry) filled in. */
function service<const N extends string>(s: ServiceInput<N>): ServiceDefinition<N> {
  return {
    name: s.name,
    port: s.port,
    adminPort: s.port + 1000,
    workspace: `services/${s.name}`,
    packageName: `@aegis/${s.name}`,
    entry: `services/${s.name}/dist/main.js`,
    routes: (s.routes ?? []).map((r) => (typeof r === 'string' ? { prefix: `${API}/${r}` } : r)),
    internal: s.internal ?? false,
    implemented: s.implemented,
  };
}

/** Every deployable service, in the order of spec/api.md §1 (auth first: every other service verifies
 * tokens against it). Route prefixes are relative to /api/v1 unless given whole. */
export const SERVICES = [
  service({ name: 'auth', port: 8009, implemented: true, routes: ['auth'] }),
  service({
    name: 'orchestration',
    port: 8001,
    implemented: true,
    routes: [
      'agents',
      // POST /execute answers when the agent run ends: model turns with retries take minutes, not 30 s.
      { prefix: `${API}/execute`, timeoutMs: 300_000 },
      'conversations',
      'compliance',
      'checklists',
      'checklist-templates',
      'rules',
      'workspaces',
    ],
  }),
  service({ name: 'memory', port: 8002, implemented: true, internal: true }),
  service({
    name: 'knowledge-graph',
    port: 8003,
    implemented: true,
    // Beyond the spec's table: query, context, impact and seed (spec §8) need rows to be reachable.
    routes: ['graph', 'entities', 'entity-types', 'edges', 'query', 'context', 'impact', 'seed'],
  }),
  service({ name: 'approvals', port: 8004, implemented: true, routes: ['approvals'] }),
  service({
    name: 'ingestion',
    port: 8005,
    implemented: true,
    // Uploads answer once the whole file is loaded: up to 15 minutes (the gateway default is 30 s).
    routes: [{ prefix: `${API}/ingest`, timeoutMs: 900_000 }, 'extract'],
  }),
  service({
    name: 'compliance-monitor',
    port: 8006,
    implemented: true,
    // The "legacy" compliance API: longer prefixes, so they win over orchestration's /compliance.
    // `compliance/deadlines` is POST only: GET /compliance/deadlines (`window_days`) is the
    // orchestration's dashboard list (spec §8), which falls back to its /compliance row. The other
    // rows name no path the orchestration serves, so they stay unrestricted (a wrong method still
    // gets the monitor's own 405 with its Allow).
    routes: [
      { prefix: `${API}/compliance/deadlines`, methods: ['POST'] },
      ...['production', 'rule-changes', 'risk-score', 'dashboard'].map((r) => `compliance/${r}`),
    ],
  }),
  service({
    name: 'flaring-monitor',
    port: 8007,
    implemented: true,
    routes: ['flaring', 'flare-events', 'events', 'event-types'],
  }),
] as const;

type Services = typeof SERVICES;
export type Service = Services[number];
export type ServiceName = Service['name'];

/** Every service name, in registry order (the AegisTenant `services` enum). */
export const SERVICE_NAMES = SERVICES.map((s) => s.name) as unknown as NamesOf<Services>;
type NamesOf<T extends readonly { name: string }[]> = {
  readonly [K in keyof T]: T[K] extends { name: infer N } ? N : never;
};

/** The gateway, the one public entrance, described beside the services (it is not one of them). */
export const GATEWAY = {
  name: 'gateway',
  port: 8000,
  adminPort: 9000,
  workspace: 'gateway',
  packageName: '@aegis/gateway',
  entry: 'gateway/dist/main.js',
} as const;

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** The registry entry of a service; throws on an unknown name. */
export function serviceByName(name: string): Service {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown service ${JSON.stringify(name)}`);
  return found;
}

/** The services whose code exists: the ones started locally and deployed. */
export function implementedServices(): Service[] {
  return SERVICES.filter((s) => s.implemented);
}
