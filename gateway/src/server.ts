import http from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, errorBody, PayloadTooLargeError, requestIdFrom, type Logger } from '@aegis/common';
import type { GatewayConfig } from './config';
import { corsPolicy } from './middleware/cors';

export interface GatewayServerOptions {
  /** The request handler: `createGatewayHandler` (gateway/src/proxied.ts), or a Koa app's `callback()`. */
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => unknown;
  /** CORS origins and the HTTP server's limits: `maxHeaderBytes` is the largest request head (request
   * line and headers) Node's parser accepts; beyond it, 431. */
  config: Pick<GatewayConfig, 'corsAllowOrigins' | 'server'>;
  logger: Logger;
}

/** The errors Node's HTTP parser reports on `clientError`, as the gateway answers them. */
export function parserError(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError(431, 'headers_too_large', 'Request headers are too large');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new PayloadTooLargeError('Chunk extensions are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError(408, 'request_timeout', 'The request was not received in time');
    default:
      return new AppError(400, 'bad_request', 'Malformed HTTP request');
  }
}

/** A whole HTTP/1.1 error response in the error shape (spec §5) with the CORS headers and a fresh
 * request id, for a socket that has no response object; the connection closes after it. */
export function rawErrorResponse(error: AppError, cors: Record<string, string>): string {
  const requestId = requestIdFrom(undefined);
  const body = JSON.stringify(errorBody(error, requestId, true));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Request-Id': requestId,
    ...cors,
    ...error.headers,
    Connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${error.status} ${http.STATUS_CODES[error.status]}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The response Node is writing on this socket, if any (the parser can fail on a later request of a
 * keep-alive connection, or in the body of a request already being answered). */
const responseInProgress = (socket: Duplex): http.ServerResponse | undefined =>
  (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage;

/**
 * The gateway's HTTP server. Requests Node's parser refuses (malformed request line or headers,
 * a head over `maxHeaderBytes`, oversized chunk extensions, a head not received in time) never reach
 * the app: `clientError` answers them itself in the error shape with the CORS headers, when the socket
 * can still take a whole response. `Expect: 100-continue` requests go to the app without the automatic
 * `100 Continue`: the proxy sends it once the request is accepted, so an oversized or refused body is
 * answered at once.
 */
export function createGatewayServer(options: GatewayServerOptions): http.Server {
  const { handler, logger } = options;
  const limits = options.config.server;
  const cors = corsPolicy({ allowOrigins: options.config.corsAllowOrigins });
  const server = http.createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      // How often Node checks those two timeouts (default 30 s): slow clients are cut close to the limit.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => void handler(req, res),
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;

  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    // No automatic `100 Continue`: the proxy sends it once the request is accepted (authenticated,
    // within its limits, its declared length within the route's body limit). Any earlier answer is
    // final and closes the connection, since the client may never send the body it announced.
    res.setHeader('Connection', 'close');
    void handler(req, res);
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const error = parserError(err.code);
    logger.warn(
      { code: err.code, status: error.status, reason: err.message },
      'Rejected malformed client request',
    );
    const inProgress = responseInProgress(socket);
    if (err.code === 'ECONNRESET' || !socket.writable || (inProgress && inProgress.headersSent)) {
      socket.destroy();
      return;
    }
    // The request's headers could not be read, so its Origin is unknown: the policy for no origin.
    socket.end(rawErrorResponse(error, cors(undefined)));
  });

  return server;
}
