import type { ServiceName } from '@aegis/common';
import type { RouteTable } from '../routing/route-table';
import { mergeComponents, renameSecurity, type Components } from './components';
import { GATEWAY_COMPONENTS, GATEWAY_OWNER, throughGateway } from './gateway-responses';

/** A service's OpenAPI document, as far as merging needs it. */
export interface ServiceDocument {
  paths?: Record<string, unknown>;
  components?: Components;
  security?: Record<string, unknown>[];
  info?: { title?: string; version?: string };
}

export interface RouteRow {
  prefix: string;
  service: ServiceName;
  stripPrefix: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type PathItem = Record<string, unknown>;

/** A service's path item at its public path: component names and security scheme names as merged,
 * the service's document-wide security moved onto each operation, and the gateway's part added. */
function publicPathItem(
  service: ServiceName,
  doc: ServiceDocument,
  publicPath: string,
  item: PathItem,
  naming: ReturnType<typeof mergeComponents>,
): PathItem {
  const out = { ...(naming.rewrite(service, item) as PathItem) };
  // The gateway answers every OPTIONS request itself (the CORS preflight): a service's own OPTIONS
  // operation is not reachable through it.
  delete out.options;
  for (const method of METHODS) {
    const op = out[method] as Record<string, unknown> | undefined;
    if (!op) continue;
    const own = (op.security ?? doc.security) as Record<string, unknown>[] | undefined;
    const security = own ? renameSecurity(naming, service, own) : undefined;
    // Untagged operations are grouped by their service on the reference page.
    const tags = op.tags ?? [service];
    out[method] = throughGateway(
      method,
      publicPath,
      { ...op, tags, ...(security ? { security } : {}) },
      (kind, n) => naming.name(GATEWAY_OWNER, kind, n),
    );
    (out[method] as Record<string, unknown>)['x-aegis-service'] = service;
  }
  return { ...out, 'x-aegis-service': service };
}

/** The path item with only the operations whose method the route table sends to the service (route
 * rows may be restricted to methods, ADR 0028); undefined when none is left. An item without
 * operations is kept when the path routes to the service at all. */
function routedOperations(item: PathItem, routed: (method: string) => boolean): PathItem | undefined {
  const ops = METHODS.filter((m) => m !== 'options' && item[m] !== undefined);
  if (ops.length === 0) return routed('GET') ? item : undefined;
  const kept = ops.filter((m) => routed(m.toUpperCase()));
  if (kept.length === 0) return undefined;
  if (kept.length === ops.length) return item;
  const out = { ...item };
  for (const m of ops) if (!kept.includes(m)) delete out[m];
  return out;
}

/** Two services' operations at one public path (GET to one, POST to another): the operations side
 * by side, each naming its service; the path names a service only when both are the same one. */
function combinePathItems(a: PathItem, b: PathItem): PathItem {
  const out: PathItem = { ...b, ...a };
  for (const m of METHODS) if (b[m] !== undefined && a[m] === undefined) out[m] = b[m];
  if (a['x-aegis-service'] !== b['x-aegis-service']) delete out['x-aegis-service'];
  return out;
}

/**
 * Merges the services' documents into the public API document: every service path appears under
 * the public path that the route table really sends to that service (`/auth/token` of auth →
 * `/api/v1/auth/token`), paths and operations no route reaches are left out (a row restricted to
 * methods sends the others elsewhere, so one public path may hold operations of two services), components declared the same way by
 * several services (the error schema, the security schemes) appear once and a name two services
 * declare differently is prefixed per service (`auth.User`), and every operation lists what the
 * gateway adds: its token requirement and its own error answers.
 */
export function mergeOpenApi(
  docs: readonly { service: ServiceName; doc: ServiceDocument }[],
  routes: readonly RouteRow[],
  table: Pick<RouteTable, 'match'>,
  unavailable: readonly string[] = [],
): Record<string, unknown> {
  const naming = mergeComponents([
    { owner: GATEWAY_OWNER, components: GATEWAY_COMPONENTS },
    ...docs.map(({ service, doc }) => ({ owner: service, components: doc.components ?? {} })),
  ]);
  const paths: Record<string, unknown> = {};
  const strips = (service: ServiceName) => [
    ...new Set(routes.filter((r) => r.service === service).map((r) => r.stripPrefix)),
  ];
  for (const { service, doc } of docs) {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const strip of strips(service)) {
        const publicPath = `${strip}${path}`;
        const concrete = publicPath.replace(/\{[^}]+\}/g, 'x');
        const kept = routedOperations(
          item as PathItem,
          (method) => table.match(concrete, method)?.route.service === service,
        );
        if (!kept) continue;
        const built = publicPathItem(service, doc, publicPath, kept, naming);
        const earlier = paths[publicPath] as PathItem | undefined;
        paths[publicPath] = earlier ? combinePathItems(earlier, built) : built;
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    openapi: '3.1.0',
    info: {
      title: 'AEGIS API',
      version: '1',
      description:
        'The public API through the gateway: every service document, at the paths the gateway routes. ' +
        'Authenticate with `Authorization: Bearer <access_token>` from `POST /api/v1/auth/token`, or ' +
        'with the `aegis_token` cookie that the same call sets.',
    },
    servers: [{ url: '/' }],
    tags: docs.map(({ service, doc }) => ({
      name: service,
      ...(doc.info?.title ? { description: doc.info.title } : {}),
    })),
    paths: sorted,
    components: naming.components,
    ...(unavailable.length > 0 ? { 'x-aegis-unavailable-services': [...unavailable] } : {}),
  };
}

/** Every security scheme name that a security requirement of the document names but its
 * `components.securitySchemes` does not declare (empty for a well-formed document). */
export function undeclaredSecuritySchemes(doc: Record<string, unknown>): string[] {
  const declared = new Set(Object.keys((doc.components as Components | undefined)?.securitySchemes ?? {}));
  const named = new Set<string>();
  const collect = (security: unknown) => {
    if (!Array.isArray(security)) return;
    for (const requirement of security as Record<string, unknown>[])
      for (const scheme of Object.keys(requirement)) named.add(scheme);
  };
  collect(doc.security);
  for (const item of Object.values((doc.paths ?? {}) as Record<string, PathItem>))
    for (const method of METHODS) collect((item[method] as { security?: unknown } | undefined)?.security);
  return [...named].filter((s) => !declared.has(s)).sort();
}
