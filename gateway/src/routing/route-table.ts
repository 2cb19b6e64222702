import { type GatewayRoute, gatewayRouteSchema, type ServiceName } from '@aegis/common';
import { PrefixTrie } from './prefix-trie';

/** One row of the route table (spec/api.md §1). Data, not code: loaded from a file locally and from the
 * operator's compiled ConfigMap on Kubernetes; the schema is shared with the operator. */
export const routeSchema = gatewayRouteSchema;
export type Route = GatewayRoute;

export interface ResolvedRoute {
  prefix: string;
  service: ServiceName;
  stripPrefix: string;
  maxBodyBytes?: number;
  timeoutMs?: number;
}

export interface RouteMatch {
  route: ResolvedRoute;
  /** The path the upstream receives (prefix stripped, query kept by the caller). */
  upstreamPath: string;
}

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

/** The route table, matched with a segment trie (see PrefixTrie). */
export class RouteTable {
  private readonly trie = new PrefixTrie<ResolvedRoute>();
  readonly size: number;
  /** Every row, resolved (for the merged API document). */
  readonly rows: readonly ResolvedRoute[];

  constructor(routes: readonly Route[]) {
    const rows: ResolvedRoute[] = [];
    for (const r of routes) {
      const [api, version] = segments(r.prefix);
      const resolved: ResolvedRoute = {
        prefix: r.prefix,
        service: r.service,
        stripPrefix: r.stripPrefix ?? `/${api}/${version}`,
        ...(r.maxBodyBytes !== undefined ? { maxBodyBytes: r.maxBodyBytes } : {}),
        ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}),
      };
      if (!this.trie.insert(r.prefix, resolved)) throw new Error(`duplicate route prefix ${r.prefix}`);
      rows.push(resolved);
    }
    this.size = routes.length;
    this.rows = rows;
  }

  /** Longest segment-aware prefix match for a path without query string. */
  match(path: string): RouteMatch | undefined {
    const route = this.trie.longest(path);
    if (!route) return undefined;
    const rest = path.slice(route.stripPrefix.length);
    return { route, upstreamPath: rest.startsWith('/') ? rest : `/${rest}` };
  }
}

/** What an unsafe path must contain (a dot, a percent, a backslash or an empty segment). */
const SUSPECT = /[.%\\]|\/\//;

/** Paths the gateway refuses to route: dot segments and encoded separators could reach a different
 * upstream resource than the one the route table and the limiter saw. */
export function isUnsafePath(path: string): boolean {
  // Most paths have none of `.`, `%`, `\` or `//`: one scan answers them.
  if (!SUSPECT.test(path)) return false;
  return (
    /(^|\/)\.\.?(\/|$)/.test(path) || /%2f|%5c|%2e/i.test(path) || path.includes('\\') || path.includes('//')
  );
}
