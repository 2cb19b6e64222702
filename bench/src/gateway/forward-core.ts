import http from 'node:http';
import { createUpstreamProxy, forwardedFor, outboundHeaders, TrustedProxies } from '@aegis/gateway';

/** Reference F: the AEGIS gateway's forwarding core alone — its upstream client
 * (`createUpstreamProxy`: pooled keep-alive, timeouts, body limit, response header hygiene) and its
 * outbound header rules (`outboundHeaders`, `forwardedFor`) on a plain node:http server, with no Koa,
 * authentication, limits, metrics or logging. Set beside E (the bare node:http proxy) it shows what the
 * forwarding itself costs. Run as its own process: PORT and UPSTREAM_PORT in the environment. */
const upstream = createUpstreamProxy({ connectTimeoutMs: 2000, maxSockets: 256 });
const target = new URL(`http://127.0.0.1:${Number(process.env.UPSTREAM_PORT)}`);
const trusted = new TrustedProxies([]);
const server = http.createServer((req, res) => {
  const { chain } = forwardedFor(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], trusted);
  upstream
    .forward({
      upstream: 'bench',
      req,
      res,
      target,
      path: req.url ?? '/',
      headers: outboundHeaders({
        headers: req.headers,
        requestId: 'bench',
        forwardedChain: chain,
        proto: 'http',
        host: req.headers.host,
      }),
      maxBodyBytes: 10 * 1024 * 1024,
      timeoutMs: 30_000,
      closeConnection: () => false,
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
