import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import Koa from 'koa';
import {
  AppError,
  errorHandler,
  missingTokenError,
  requestIdFrom,
  tokenFromRequest,
  writeRequestLog,
  type Identity,
} from '@aegis/common';
import {
  createApp,
  gatewayAddressLimit,
  isGatewayOwned,
  logFields,
  proxyOptions,
  requestLabels,
  routeRequest,
  type GatewayDeps,
} from './app';
import type { CompiledConfig } from './config-source/document';
import type { TenantPolicy } from './config-source/tenant-policy';
import { isPublicRequest } from './middleware/authenticate';
import { corsPolicy } from './middleware/cors';
import { upstreamRequest } from './middleware/proxy';
import { enforce, identityChecks } from './middleware/rate-limit';
import { guardTenant } from './middleware/tenant-guard';
import { forwardedFor, TrustedProxies } from './proxy/forwarding';
import type { FailurePolicy, LimitCheck, LimitResult } from './ratelimit';
import type { RouteMatch } from './routing/route-table';
import type { GatewayState } from './state';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The methods the proxied path takes: the forwarded ones but OPTIONS (a CORS preflight, which the
 * Koa path answers). Any other method goes to the Koa path, which refuses it. */
const PROXIED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Request targets Koa's URL parser (parseurl) splits at the first `?` without further parsing: a
 * path starting with `/` and none of the characters that make it fall back to the URL parser. Others
 * (absolute forms, whitespace, fragments) go to the Koa path, so `path` means the same on both. */
const PLAIN_TARGET = /^\/[^\t\n\f\r #\u00a0\ufeff]*$/;

/** Where the request's pass through the proxied path is kept on its response (for the one `close`
 * listener, which runs with the response as `this`) and on its request (for the error writer). */
const PASS = Symbol('aegis.gateway.pass');

type Carrier = { [PASS]?: Pass };

/** One request on the proxied path: what the Koa path keeps in ctx.state (`GatewayState`), plus the
 * request's method, path and query. One object per request, of one shape. */
class Pass implements GatewayState {
  requestId = '';
  clientIp = '';
  forwardedChain = '';
  config: CompiledConfig | undefined = undefined;
  match: RouteMatch | undefined = undefined;
  route: string | undefined = undefined;
  upstream: string | undefined = undefined;
  identity: Identity | undefined = undefined;
  token: string | undefined = undefined;
  tokenFromCookie: boolean | undefined = undefined;
  tenant: TenantPolicy | undefined = undefined;
  addressCharged: boolean | undefined = undefined;
  limit: unknown = undefined;
  /** The token presented (Authorization first, else the cookie). */
  presented: string | undefined = undefined;
  started = 0n;
  /** Whether the log line is written (the logger's level when the request arrived). */
  logged = false;
  failed = false;
  /** What the error writer answers. */
  failure: unknown = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly method: string,
    readonly path: string,
    readonly querystring: string,
  ) {}
}

/** `tenant_id` of a query string as Koa's `ctx.query` gives it: absent, one value, or all of them. */
function tenantIdOf(querystring: string): string | string[] | undefined {
  if (querystring === '') return undefined;
  const values = new URLSearchParams(querystring).getAll('tenant_id');
  return values.length <= 1 ? values[0] : values;
}

/**
 * The gateway's request handler. Ordinary proxied requests (a forwarded method but OPTIONS, a plain
 * path that is not one of the gateway's own endpoints) take one function per step instead of the Koa
 * middleware chain, with the same steps in the same order: request id, client address, log line and
 * metrics, CORS, address limit, routing, token check, tenant guard, limits, forwarding. The limiter
 * and the token check answer synchronously when they can (`consumeNow`, `verifyNow`), so a request
 * whose token is cached and whose limiter is in memory creates no promise before it is forwarded.
 * Everything else (the gateway's own endpoints, preflights, other methods, unusual request targets)
 * goes through the Koa app (`createApp`), and every error of the proxied path is answered by the same
 * `errorHandler` in a Koa context: every response, error or not, is the one the Koa path gives.
 */
export function createGatewayHandler(deps: GatewayDeps): RequestHandler {
  const { config, logger, metrics, holder, limiter, verifier } = deps;
  const addressLimit = gatewayAddressLimit(deps);
  const app = createApp(deps, addressLimit);
  const koa = app.callback();
  const trusted = new TrustedProxies(config.trustedProxies);
  const policy = corsPolicy({ allowOrigins: config.corsAllowOrigins });
  // With `*` every response carries the same CORS headers: listed once.
  const anyOrigin = config.corsAllowOrigins.includes('*') ? Object.entries(policy(undefined)) : undefined;
  const forwarding = proxyOptions(deps);
  // Koa's own multipart test (type-is on the request), as `ctx.is('multipart/*')` runs it.
  const koaRequest = app.request as unknown as { is(this: { req: IncomingMessage }, type: string): unknown };
  const isUpload = (req: IncomingMessage) =>
    req.headers['content-type'] !== undefined && Boolean(koaRequest.is.call({ req }, 'multipart/*'));

  // The error writer: the errorHandler of the Koa path, in a Koa context whose state is the pass.
  const errors = new Koa<GatewayState>({ proxy: false });
  errors.silent = true;
  errors.use(async function passState(ctx, next) {
    ctx.state = (ctx.res as Carrier)[PASS]!;
    await next();
  });
  errors.use(errorHandler({ logger, gateway: true }));
  errors.use(function rethrow(ctx) {
    throw (ctx.state as Pass).failure;
  });
  const writeError = errors.callback();

  function fail(pass: Pass, err: unknown): void {
    if (pass.failed) return;
    pass.failed = true;
    pass.failure = err;
    void writeError(pass.req, pass.res);
  }

  /** The one `close` listener of a proxied request: its log line and metrics (as requestLog and
   * requestMetrics record them on the Koa path). */
  function closed(this: ServerResponse & Carrier): void {
    const pass = this[PASS]!;
    const outcome = {
      status: this.statusCode,
      seconds: Number(process.hrtime.bigint() - pass.started) / 1e9,
    };
    if (pass.logged) {
      writeRequestLog(
        logger,
        {
          requestId: pass.requestId,
          tenant: pass.identity?.tenantId,
          method: pass.method,
          path: pass.path,
          route: typeof pass.route === 'string' ? pass.route : 'unmatched',
          fields: logFields(pass),
        },
        outcome,
      );
    }
    metrics.inFlight.dec();
    const labels = requestLabels(pass, outcome.status);
    metrics.requests.inc(labels);
    metrics.duration.observe(
      { route: labels.route, upstream: labels.upstream, tenant: labels.tenant },
      outcome.seconds,
    );
  }

  /** Runs `then` with the limiter's decision: at once when the limiter can decide without waiting. */
  function consume(
    pass: Pass,
    checks: LimitCheck[],
    failurePolicy: FailurePolicy,
    then: (pass: Pass, result: LimitResult) => void,
  ): void {
    let now: LimitResult | undefined;
    try {
      now = limiter.consumeNow?.(checks, failurePolicy);
    } catch (err) {
      fail(pass, err);
      return;
    }
    if (now) {
      then(pass, now);
      return;
    }
    limiter.consume(checks, failurePolicy).then(
      (result) => then(pass, result),
      (err: unknown) => fail(pass, err),
    );
  }

  function chargedAddress(pass: Pass, result: LimitResult): void {
    try {
      addressLimit.settle(pass, pass.res, result);
    } catch (err) {
      fail(pass, err);
      return;
    }
    route(pass);
  }

  function route(pass: Pass): void {
    try {
      const { config: current, match } = routeRequest(holder, pass.path, pass.method);
      pass.config = current;
      pass.match = match;
      pass.route = match.route.prefix;
      pass.upstream = match.route.service;
    } catch (err) {
      fail(pass, err);
      return;
    }
    if (isPublicRequest(pass.method, pass.path)) {
      forward(pass);
      return;
    }
    const token = pass.presented;
    if (token === undefined) {
      rejected(pass, missingTokenError());
      return;
    }
    const known = verifier.verifyNow?.(token);
    if (known) {
      verified(pass, known);
      return;
    }
    verifier.verify(token).then(
      (identity) => verified(pass, identity),
      (err: unknown) => rejected(pass, err),
    );
  }

  /** A failed token check: a 401 counts as unauthenticated traffic first (a 429 may replace it). */
  function rejected(pass: Pass, err: unknown): void {
    if (!(err instanceof AppError && err.status === 401) || pass.addressCharged) {
      fail(pass, err);
      return;
    }
    pass.addressCharged = true;
    consume(pass, addressLimit.checksOf(pass.clientIp), addressLimit.policy, (p, result) => {
      try {
        addressLimit.settle(p, p.res, result);
      } catch (refusal) {
        fail(p, refusal);
        return;
      }
      fail(p, err);
    });
  }

  function verified(pass: Pass, identity: Identity): void {
    const token = pass.presented!;
    try {
      addressLimit.afterVerification(token, identity.exp);
      pass.identity = identity;
      pass.token = token;
      pass.tokenFromCookie = !pass.req.headers.authorization;
      pass.tenant = guardTenant(identity, pass.config!, pass.match!, tenantIdOf(pass.querystring));
    } catch (err) {
      fail(pass, err);
      return;
    }
    consume(pass, identityChecks(identity, pass.tenant, pass.path), pass.tenant.failurePolicy, limited);
  }

  function limited(pass: Pass, result: LimitResult): void {
    try {
      enforce(pass, pass.res, result);
    } catch (err) {
      fail(pass, err);
      return;
    }
    forward(pass);
  }

  function forward(pass: Pass): void {
    const { req, res } = pass;
    let request;
    try {
      request = upstreamRequest(forwarding, {
        req,
        res,
        state: pass,
        method: pass.method,
        path: pass.path,
        querystring: pass.querystring,
        protocol: (req.socket as TLSSocket).encrypted ? 'https' : 'http',
        isUpload: isUpload(req),
      });
    } catch (err) {
      fail(pass, err);
      return;
    }
    forwarding.upstream.send(request, (err) => {
      if (err) fail(pass, err);
    });
  }

  return function handleRequest(req, res) {
    const method = req.method ?? '';
    const url = req.url ?? '';
    if (!PROXIED_METHODS.has(method) || !PLAIN_TARGET.test(url)) {
      void koa(req, res);
      return;
    }
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (isGatewayOwned(path, config.metricsOnMainPort)) {
      void koa(req, res);
      return;
    }
    const pass = new Pass(req, res, method, path, q < 0 ? '' : url.slice(q + 1));
    // As Koa starts every response (an abandoned request is counted with this status).
    res.statusCode = 404;
    pass.requestId = requestIdFrom(req.headers['x-request-id'] || undefined);
    res.setHeader('X-Request-Id', pass.requestId);
    const fwd = forwardedFor(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], trusted);
    pass.clientIp = fwd.client;
    pass.forwardedChain = fwd.chain;
    pass.started = process.hrtime.bigint();
    // Below info (LOG_LEVEL=warn) no line is written, as requestLog decides.
    pass.logged = logger.isLevelEnabled('info');
    metrics.inFlight.inc();
    (res as Carrier)[PASS] = pass;
    res.once('close', closed);
    for (const [name, value] of anyOrigin ?? Object.entries(policy(req.headers.origin || undefined)))
      res.setHeader(name, value);
    pass.presented = tokenFromRequest(
      req.headers.authorization || undefined,
      req.headers.cookie || undefined,
    );
    if (addressLimit.chargedBefore(pass.clientIp, method, path, pass.presented)) {
      pass.addressCharged = true;
      consume(pass, addressLimit.checksOf(pass.clientIp), addressLimit.policy, chargedAddress);
      return;
    }
    route(pass);
  };
}
