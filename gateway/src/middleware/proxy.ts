import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import type { RevocationChecker } from '@aegis/common';
import type { GatewayState } from '../state';
import { outboundHeaders } from '../proxy/forwarding';
import type { ForwardRequest, UpstreamProxy } from '../proxy/upstream-proxy';

export interface ProxyMiddlewareOptions {
  upstream: UpstreamProxy;
  timeoutMs: number;
  maxBodyBytes: number;
  maxUploadBytes: number;
  draining: () => boolean;
  revocation?: RevocationChecker;
}

const LOGOUT_PATH = '/api/v1/auth/logout';

/** A routed request as the forwarding step reads it (from Koa's context or the proxied path). */
export interface RoutedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  state: Pick<
    GatewayState,
    'config' | 'match' | 'identity' | 'requestId' | 'forwardedChain' | 'token' | 'tokenFromCookie'
  >;
  method: string;
  path: string;
  /** Without the `?`; empty when none. */
  querystring: string;
  protocol: string;
  /** Whether the body is multipart (an upload: the larger body limit). */
  isUpload: boolean;
}

/** What the upstream is sent for a routed request: its target, path, headers and limits. */
export function upstreamRequest(options: ProxyMiddlewareOptions, routed: RoutedRequest): ForwardRequest {
  const { req, res, state, method } = routed;
  const { config, match, identity } = state;
  if (!config || !match) throw new Error('proxyToUpstream runs after routing');
  const target = config.services.get(match.route.service)!;
  const headers = outboundHeaders({
    headers: req.headers,
    requestId: state.requestId,
    forwardedChain: state.forwardedChain,
    proto: routed.protocol === 'https' ? 'https' : 'http',
    host: req.headers.host || undefined,
    ...(identity ? { identity } : {}),
    ...(state.tokenFromCookie && state.token ? { bearerToken: state.token } : {}),
  });
  const search = routed.querystring ? `?${routed.querystring}` : '';
  const revokeOnLogout =
    identity && options.revocation && method === 'POST' && routed.path === LOGOUT_PATH
      ? options.revocation
      : undefined;
  return {
    upstream: match.route.service,
    req,
    res,
    target,
    path: `${match.upstreamPath}${search}`,
    headers,
    maxBodyBytes:
      match.route.maxBodyBytes ?? (routed.isUpload ? options.maxUploadBytes : options.maxBodyBytes),
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
  };
}

/** Forwards the matched request. The body is never parsed here: it streams to the upstream. */
export function proxyToUpstream(options: ProxyMiddlewareOptions): Middleware<GatewayState> {
  return async function proxyMiddleware(ctx) {
    const request = upstreamRequest(options, {
      req: ctx.req,
      res: ctx.res,
      state: ctx.state,
      method: ctx.method,
      path: ctx.path,
      querystring: ctx.querystring,
      protocol: ctx.protocol,
      isUpload: Boolean(ctx.is('multipart/*')),
    });
    ctx.respond = false;
    try {
      await options.upstream.forward(request);
    } catch (err) {
      ctx.respond = true;
      throw err;
    }
  };
}
