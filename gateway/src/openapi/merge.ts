import type { ServiceName } from '@aegis/common';
import type { RouteTable } from '../routing/route-table';

/** A service's OpenAPI document, as far as merging needs it. */
export interface ServiceDocument {
  paths?: Record<string, unknown>;
  components?: Record<string, Record<string, unknown>>;
  info?: { title?: string; version?: string };
}

export interface RouteRow {
  prefix: string;
  service: ServiceName;
  stripPrefix: string;
}

const REF = /^#\/components\/([^/]+)\/(.+)$/;

/** Rewrites `$ref`s into the service's namespaced components (`#/components/schemas/auth.Error`). */
function namespaceRefs(value: unknown, service: string): unknown {
  if (Array.isArray(value)) return value.map((v) => namespaceRefs(v, service));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const m = k === '$ref' && typeof v === 'string' ? REF.exec(v) : null;
      out[k] = m ? `#/components/${m[1]}/${service}.${m[2]}` : namespaceRefs(v, service);
    }
    return out;
  }
  return value;
}

/**
 * Merges the services' documents into the public API document: every service path appears under
 * the public path that the route table really sends to that service (`/auth/token` of auth →
 * `/api/v1/auth/token`), paths no route reaches are left out, and components are namespaced by
 * service so two services' `Error` schemas do not collide.
 */
export function mergeOpenApi(
  docs: readonly { service: ServiceName; doc: ServiceDocument }[],
  routes: readonly RouteRow[],
  table: Pick<RouteTable, 'match'>,
  unavailable: readonly string[] = [],
): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const strips = (service: ServiceName) => [
    ...new Set(routes.filter((r) => r.service === service).map((r) => r.stripPrefix)),
  ];
  for (const { service, doc } of docs) {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const strip of strips(service)) {
        const publicPath = `${strip}${path}`;
        const concrete = publicPath.replace(/\{[^}]+\}/g, 'x');
        if (table.match(concrete)?.route.service !== service) continue;
        paths[publicPath] = { ...(namespaceRefs(item, service) as object), 'x-aegis-service': service };
      }
    }
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      const target = (components[kind] ??= {});
      for (const [name, value] of Object.entries(entries))
        target[`${service}.${name}`] = namespaceRefs(value, service);
    }
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    openapi: '3.1.0',
    info: {
      title: 'AEGIS API',
      version: '1',
      description:
        'The public API through the gateway: every service document, at the paths the gateway routes.',
    },
    servers: [{ url: '/' }],
    paths: sorted,
    components,
    ...(unavailable.length > 0 ? { 'x-aegis-unavailable-services': [...unavailable] } : {}),
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained reference page (no scripts or assets from elsewhere): every operation with its
 * summary, grouped by service. */
export function referencePage(doc: { paths: Record<string, Record<string, unknown>> }): string {
  const rows: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method] as { summary?: string; description?: string } | undefined;
      if (!op) continue;
      rows.push(
        `<tr><td>${escape(String(item['x-aegis-service']))}</td><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code></td><td>${escape(op.summary ?? op.description ?? '')}</td></tr>`,
      );
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>AEGIS API reference</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}code{font-size:.9em}</style>
</head><body><h1>AEGIS API reference</h1><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>
<table><tr><th>service</th><th>method</th><th>path</th><th>summary</th></tr>${rows.join('')}</table></body></html>`;
}
