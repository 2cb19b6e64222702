import type { Middleware } from 'koa';
import type { RevocationChecker } from '@aegis/common';
import type { GatewayState } from '../state';
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
export function proxyToUpstream(options: ProxyMiddlewareOptions): Middleware<GatewayState> {
  return async function proxyMiddleware(ctx) {
    const { config, match, identity } = ctx.state;
    if (!config || !match) throw new Error('proxyToUpstream runs after routing');
    const target = config.services.get(match.route.service)!;
    const isUpload = Boolean(ctx.is('multipart/*'));
    const headers = outboundHeaders({
      headers: ctx.req.headers,
      requestId: ctx.state.requestId,
      forwardedChain: ctx.state.forwardedChain,
      proto: ctx.protocol === 'https' ? 'https' : 'http',
      host: ctx.get('host') || undefined,
      ...(identity ? { identity } : {}),
      ...(ctx.state.tokenFromCookie && ctx.state.token ? { bearerToken: ctx.state.token } : {}),
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
