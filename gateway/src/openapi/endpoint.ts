import type { Middleware } from 'koa';
import type { Logger, ServiceName } from '@aegis/common';
import type { ConfigHolder } from '../config-source/holder';
import { mergeOpenApi, referencePage, type ServiceDocument } from './merge';

export const OPENAPI_PATH = '/api/v1/openapi.json';
export const REFERENCE_PATH = '/api/v1/docs';

export interface OpenApiOptions {
  holder: ConfigHolder;
  logger: Logger;
  fetchTimeoutMs?: number;
  /** How long a merged document is reused (per configuration hash). */
  cacheMs?: number;
}

/** `GET /api/v1/openapi.json` (the merged document of every routed service) and `GET /api/v1/docs`
 * (a browsable reference page). Public, like any API reference; built on demand from the services'
 * own `/openapi.json` and cached briefly, so a service that was down appears once it is back. */
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

  return async function openApiMiddleware(ctx, next) {
    if (ctx.method !== 'GET' || (ctx.path !== OPENAPI_PATH && ctx.path !== REFERENCE_PATH)) return next();
    const doc = await build();
    if (!doc) return next();
    if (ctx.path === OPENAPI_PATH) {
      ctx.body = doc;
      return;
    }
    ctx.type = 'text/html';
    ctx.body = referencePage(doc as { paths: Record<string, Record<string, unknown>> });
  };
}
