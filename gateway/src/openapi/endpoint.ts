import type { Middleware } from 'koa';
import type { Logger, ServiceName } from '@aegis/common';
import type { ConfigHolder } from '../config-source/holder';
import { mergeOpenApi, type ServiceDocument } from './merge';
import { ASSETS_PREFIX, REFERENCE_CSP, referenceAssets, referencePage } from './reference-page';

export const OPENAPI_PATH = '/api/v1/openapi.json';
export const REFERENCE_PATH = '/api/v1/docs';

export interface OpenApiOptions {
  holder: ConfigHolder;
  logger: Logger;
  fetchTimeoutMs?: number;
  /** How long a merged document is reused (per configuration hash). */
  cacheMs?: number;
}

/** How long browsers may reuse the viewer's files before revalidating them (by ETag). */
const ASSET_MAX_AGE_SECONDS = 86_400;

/** `GET /api/v1/openapi.json` (the merged document of every routed service), `GET /api/v1/docs` (the
 * reference page: Swagger UI rendering that document) and `GET /api/v1/docs/assets/<file>` (the
 * viewer's files). Public, like any API reference; the document is built on demand from the
 * services' own `/openapi.json` and cached briefly, so a service that was down appears once it is
 * back. */
export function openApi(options: OpenApiOptions): Middleware {
  const timeout = options.fetchTimeoutMs ?? 2000;
  const cacheMs = options.cacheMs ?? 30_000;
  let cached: { hash: string; at: number; doc: Record<string, unknown> } | undefined;

  const build = async (): Promise<Record<string, unknown> | undefined> => {
    const config = options.holder.current();
    if (!config) return undefined;
    if (cached && cached.hash === config.hash && Date.now() - cached.at < cacheMs) return cached.doc;
    const services = [...new Set(config.routes.rows.map((r) => r.service))];
    const unavailable: string[] = [];
    const docs: { service: ServiceName; doc: ServiceDocument }[] = [];
    await Promise.all(
      services.map(async (service) => {
        const base = config.services.get(service);
        try {
          const res = await fetch(new URL('/openapi.json', base), { signal: AbortSignal.timeout(timeout) });
          if (!res.ok) throw new Error(`answered ${res.status}`);
          docs.push({ service, doc: (await res.json()) as ServiceDocument });
        } catch (err) {
          unavailable.push(service);
          options.logger.debug(
            { service, err: (err as Error).message },
            'Left a service out of the API document',
          );
        }
      }),
    );
    docs.sort((a, b) => (a.service < b.service ? -1 : 1));
    const doc = mergeOpenApi(docs, config.routes.rows, config.routes, unavailable.sort());
    cached = { hash: config.hash, at: Date.now(), doc };
    return doc;
  };

  const asset = referenceAssets(OPENAPI_PATH);

  return async function openApiMiddleware(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path.startsWith(ASSETS_PREFIX)) {
      const found = asset(ctx.path.slice(ASSETS_PREFIX.length));
      if (!found) return next();
      ctx.set('Cache-Control', `public, max-age=${ASSET_MAX_AGE_SECONDS}`);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.etag = found.etag;
      ctx.type = found.type;
      ctx.status = 200;
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.body = found.body;
      return;
    }
    if (ctx.path === OPENAPI_PATH) {
      const doc = await build();
      if (!doc) return next();
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = doc;
      return;
    }
    if (ctx.path !== REFERENCE_PATH) return next();
    const doc = await build();
    if (!doc) return next();
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', REFERENCE_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = referencePage(OPENAPI_PATH, doc);
  };
}
