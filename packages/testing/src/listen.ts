import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** A server a test started on a loopback port the OS picked. */
export interface Listening {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  server: http.Server;
  /** Stops listening and drops open connections (keep-alive included). */
  close: () => Promise<void>;
}

/**
 * Serves `app` (a Koa app, or a plain request handler) on 127.0.0.1 at a port the OS picks, so a
 * suite never binds a well-known port. `keepAliveTimeout` shortens idle keep-alive for servers that
 * clients poll (a JWKS, a revocation feed).
 */
export async function listen(
  app: Handler | { callback(): Handler },
  options: { keepAliveTimeout?: number } = {},
): Promise<Listening> {
  const handle = typeof app === 'function' ? app : app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
