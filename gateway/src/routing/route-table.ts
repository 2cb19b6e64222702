import { type GatewayRoute, gatewayRouteSchema, ROUTE_METHODS, type ServiceName } from '@aegis/common';
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
  /** The methods the row accepts; every method when absent (docs/adr/0028-method-aware-routes.md). */
  methods?: readonly string[];
}

export interface RouteMatch {
  route: ResolvedRoute;
  /** The path the upstream receives (prefix stripped, query kept by the caller). */
  upstreamPath: string;
}

/** The order `Allow` lists methods in (the gateway's forwarded methods, spec §1). */
const ALLOW_ORDER = ['GET', 'HEAD', ...ROUTE_METHODS.filter((m) => m !== 'GET'), 'OPTIONS'] as const;

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

/**
 * The route table, matched with one segment trie per method (see PrefixTrie), built once per
 * configuration: a row without `methods` is in every trie, a row with `methods` only in those (HEAD
 * shares GET's), so a request costs one map lookup for its method and then the same walk as a
 * path-only table, and the longest prefix among the rows that accept the method wins — a shorter
 * row takes a method that a longer, restricted row does not accept.
 */
export class RouteTable {
  private readonly byMethod = new Map<string, PrefixTrie<ResolvedRoute>>();
  /** Rows without `methods`: what a method outside ROUTE_METHODS and HEAD can reach. */
  private readonly unrestricted = new PrefixTrie<ResolvedRoute>();
  /** Every row by prefix, for the methods a path allows (405 answers). */
  private readonly byPrefix = new PrefixTrie<ResolvedRoute[]>();
  readonly size: number;
  /** Every row, resolved (for the merged API document). */
  readonly rows: readonly ResolvedRoute[];

  constructor(routes: readonly Route[]) {
    for (const m of ROUTE_METHODS) this.byMethod.set(m, new PrefixTrie());
    const rows: ResolvedRoute[] = [];
    const atPrefix = new Map<string, ResolvedRoute[]>();
    for (const r of routes) {
      const [api, version] = segments(r.prefix);
      const resolved: ResolvedRoute = {
        prefix: r.prefix,
        service: r.service,
        stripPrefix: r.stripPrefix ?? `/${api}/${version}`,
        ...(r.maxBodyBytes !== undefined ? { maxBodyBytes: r.maxBodyBytes } : {}),
        ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}),
        ...(r.methods !== undefined ? { methods: [...r.methods] } : {}),
      };
      for (const m of r.methods ?? ROUTE_METHODS) {
        if (!this.byMethod.get(m)?.insert(r.prefix, resolved))
          throw new Error(`duplicate route prefix ${r.prefix} for ${m}`);
      }
      if (!r.methods) this.unrestricted.insert(r.prefix, resolved);
      const same = atPrefix.get(r.prefix);
      if (same) same.push(resolved);
      else {
        const list = [resolved];
        atPrefix.set(r.prefix, list);
        this.byPrefix.insert(r.prefix, list);
      }
      rows.push(resolved);
    }
    this.byMethod.set('HEAD', this.byMethod.get('GET') as PrefixTrie<ResolvedRoute>);
    this.size = routes.length;
    this.rows = rows;
  }

  /** Longest segment-aware prefix match, among the rows accepting `method`, for a path without query
   * string. Undefined when no row accepts it: see `allowedMethods` for 404 versus 405. */
  match(path: string, method: string): RouteMatch | undefined {
    const route = (this.byMethod.get(method) ?? this.unrestricted).longest(path);
    if (!route) return undefined;
    const rest = path.slice(route.stripPrefix.length);
    return { route, upstreamPath: rest.startsWith('/') ? rest : `/${rest}` };
  }

  /** The methods of the rows whose prefix matches `path` (HEAD with GET, OPTIONS always), for the
   * `Allow` of a 405; empty when no row matches it (404). Only meaningful when `match` found nothing
   * for some method: an unrestricted row would accept every method. */
  allowedMethods(path: string): string[] {
    const rows = this.byPrefix.all(path).flat();
    if (rows.length === 0) return [];
    const accepted = new Set<string>();
    for (const r of rows) for (const m of r.methods ?? ROUTE_METHODS) accepted.add(m);
    if (accepted.has('GET')) accepted.add('HEAD');
    accepted.add('OPTIONS');
    return ALLOW_ORDER.filter((m) => accepted.has(m));
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
