import http from 'node:http';
import Koa from 'koa';

/** The benchmark's backend: one small JSON endpoint, a real Koa handler. Run as its own process. */
export function createBackend(): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    ctx.body = { ok: true, path: ctx.path, user: ctx.get('x-aegis-user-id') || null };
  });
  return app;
}

if (require.main === module) {
  const handler = createBackend().callback();
  const server = http.createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
