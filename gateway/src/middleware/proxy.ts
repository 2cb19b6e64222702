import type { Middleware } from 'koa';
import type { Identity, RevocationChecker } from '@aegis/common';
import type { CompiledConfig } from '../config-source/document';
import type { RouteMatch } from '../routing/route-table';
import { outboundHeaders } from '../proxy/forwarding';
import type { UpstreamProxy } from '../proxy/upstream-proxy';

export interface ProxyMiddlewareOptions {
  upstream: UpstreamProxy;
  timeoutMs: number;
  maxBodyBytes: number;
  maxUploadBytes: number;
  draining: () => boolean;
  revocation?: RevocationChecker;
}

const LOGOUT_PATH = '/api/v1/auth/logout';

/** Forwards the matched request. The body is never parsed here: it streams to the upstream. */
export function proxyToUpstream(options: ProxyMiddlewareOptions): Middleware {
  return async function proxyMiddleware(ctx) {
    const config = ctx.state.config as CompiledConfig;
    const match = ctx.state.match as RouteMatch;
    const identity = ctx.state.identity as Identity | undefined;
    const target = config.services.get(match.route.service)!;
    const isUpload = Boolean(ctx.is('multipart/*'));
    const headers = outboundHeaders({
      headers: ctx.req.headers,
      requestId: ctx.state.requestId as string,
      forwardedChain: ctx.state.forwardedChain as string,
      proto: ctx.protocol === 'https' ? 'https' : 'http',
      host: ctx.get('host') || undefined,
      ...(identity ? { identity } : {}),
      ...(ctx.state.tokenFromCookie ? { bearerToken: ctx.state.token as string } : {}),
    });
    const search = ctx.querystring ? `?${ctx.querystring}` : '';
    const revokeOnLogout =
      identity && options.revocation && ctx.method === 'POST' && ctx.path === LOGOUT_PATH
        ? options.revocation
        : undefined;
    ctx.respond = false;
    try {
      await options.upstream.forward({
        upstream: match.route.service,
        req: ctx.req,
        res: ctx.res,
        target,
        path: `${match.upstreamPath}${search}`,
        headers,
        maxBodyBytes: match.route.maxBodyBytes ?? (isUpload ? options.maxUploadBytes : options.maxBodyBytes),
        timeoutMs: match.route.timeoutMs ?? options.timeoutMs,
        closeConnection: options.draining,
        ...(revokeOnLogout
          ? {
              onResponse: (status: number) => {
                // This replica refuses the token at once; the others learn it from the revocation feed.
                if (status >= 200 && status < 300) revokeOnLogout.revokeLocally(identity!.jti, identity!.exp);
              },
            }
          : {}),
      });
    } catch (err) {
      ctx.respond = true;
      throw err;
    }
  };
}
