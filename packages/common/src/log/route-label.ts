import type { ParameterizedContext } from 'koa';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any state: the label is read the same way in every app
export type AnyContext = ParameterizedContext<any>;

/** Names the route of a request for metric labels and the request log. Label values must come from
 * the code or the configuration, never from request data, so cardinality stays bounded. */
export type RouteLabel = (ctx: AnyContext) => string;

interface Layer {
  path: string | RegExp;
  methods: readonly string[];
}

/** Reads the fields @koa/router sets on the context (common does not depend on the router). */
function matchedRoute(ctx: AnyContext): { path?: string | RegExp; matched: readonly Layer[] } {
  const path: unknown = Reflect.get(ctx, '_matchedRoute');
  const matched: unknown = Reflect.get(ctx, 'matched');
  return {
    path: typeof path === 'string' || path instanceof RegExp ? path : undefined,
    matched: Array.isArray(matched) ? (matched as Layer[]) : [],
  };
}

const ANY_METHOD = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `/entities/:label/:id` → `/entities/{label}/{id}` (the OpenAPI form). */
export function openApiPath(routerPath: string): string {
  return routerPath.replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
}

/** The route @koa/router matched, as `METHOD /path/{param}`: `GET /entities/{label}`, `ANY /x` for a
 * `router.all`, `GET` for a HEAD answered by a GET route; `unmatched` when no route matched (404,
 * 405, health and metrics endpoints outside the router). Never hand-written by a handler. */
export const routeLabel: RouteLabel = (ctx) => {
  const { path, matched } = matchedRoute(ctx);
  if (path === undefined) return 'unmatched';
  // The route layer that answers this method; `router.use` layers (no methods) also set the
  // matched path while they run, so a request they end (401, 403) still counts under its route.
  const routes = matched.filter((l) => l.methods.includes(ctx.method));
  const layer = routes.find((l) => l.path === path) ?? routes.at(-1);
  if (!layer) return 'unmatched';
  let method = ctx.method;
  if (ANY_METHOD.every((m) => layer.methods.includes(m))) method = 'ANY';
  else if (method === 'HEAD' && layer.methods.includes('GET')) method = 'GET';
  return `${method} ${typeof layer.path === 'string' ? openApiPath(layer.path) : String(layer.path)}`;
};
