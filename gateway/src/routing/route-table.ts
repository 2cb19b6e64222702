import { z } from 'zod';
import { SERVICE_NAMES, type ServiceName } from '@aegis/common';
import { PrefixTrie } from './prefix-trie';

/** One row of the route table (spec/api.md §1). Data, not code: loaded from a file locally and from the
 * operator's compiled ConfigMap on Kubernetes. */
export const routeSchema = z
  .object({
    prefix: z
      .string()
      .regex(/^\/api\/v[0-9]+(\/[A-Za-z0-9._~-]+)*$/, 'must be a public path such as /api/v1/auth')
      .describe('Public path prefix, matched segment by segment; the longest matching prefix wins.'),
    service: z.enum(SERVICE_NAMES).describe('Service the route forwards to.'),
    stripPrefix: z
      .string()
      .regex(/^\/api\/v[0-9]+$/, 'must be a version prefix such as /api/v1')
      .optional()
      .describe('Prefix removed before forwarding; defaults to the version prefix of `prefix`.'),
    maxBodyBytes: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Body limit for this route; the gateway default otherwise.'),
    timeoutMs: z.number().int().min(1).optional().describe('Upstream response timeout for this route.'),
  })
  .strict()
  .refine((r) => !r.stripPrefix || r.prefix === r.stripPrefix || r.prefix.startsWith(`${r.stripPrefix}/`), {
    message: 'stripPrefix must be a leading segment of prefix',
    path: ['stripPrefix'],
  });

export type Route = z.infer<typeof routeSchema>;

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

/** Paths the gateway refuses to route: dot segments and encoded separators could reach a different
 * upstream resource than the one the route table and the limiter saw. */
export function isUnsafePath(path: string): boolean {
  return (
    /(^|\/)\.\.?(\/|$)/.test(path) || /%2f|%5c|%2e/i.test(path) || path.includes('\\') || path.includes('//')
  );
}
