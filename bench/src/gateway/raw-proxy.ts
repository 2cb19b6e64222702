import http from 'node:http';

/** Reference E: the least a Node.js reverse proxy can do (keep-alive agent, pipe both ways; no
 * authentication, limits, header hygiene or metrics). It shows the ceiling for any gateway written
 * on node:http on this machine. Run as its own process: PORT and UPSTREAM_PORT in the environment. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const upstreamPort = Number(process.env.UPSTREAM_PORT);
const server = http.createServer((req, res) => {
  const proxied = http.request(
    { host: '127.0.0.1', port: upstreamPort, path: req.url, method: req.method, headers: req.headers, agent },
    (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    },
  );
  proxied.on('error', () => {
    res.statusCode = 502;
    res.end();
  });
  req.pipe(proxied);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
