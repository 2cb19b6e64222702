import http from 'node:http';
import https from 'node:https';

/**
 * The transport of ingestion's knowledge-graph client: the part of `fetch` that client uses (method,
 * headers, a text body, an abort signal; status and text of the answer) over node:http with a
 * keep-alive agent. A batch is ~0.5 MB of JSON; the global fetch (undici) encodes it, copies it
 * into a Request, tees it for a clone and copies it again before writing, per batch. Sent as one
 * Buffer instead, the ingestion process spends about a tenth less CPU per row (ADR 0030).
 * Failures keep fetch's error names (`AbortError`/`TimeoutError`, anything else unreachable),
 * which is what the client maps to its 502/504.
 */
const IDLE_SOCKET_MS = 4000;

export function graphFetch(options: { maxSockets?: number; idleSocketMs?: number } = {}): typeof fetch {
  // An idle connection is closed after 4 s (or sooner when the server's Keep-Alive hint says so),
  // before a Node server's 5 s keepAliveTimeout could close it under a request, as undici does. The
  // timeout only closes idle sockets: requests are bounded by their abort signal.
  const settings = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 16,
    timeout: options.idleSocketMs ?? IDLE_SOCKET_MS,
  };
  const agents = { 'http:': new http.Agent(settings), 'https:': new https.Agent(settings) };
  const send = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
    const body =
      init.body === undefined || init.body === null ? undefined : Buffer.from(init.body as string, 'utf8');
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (body) headers['content-length'] = String(body.length);
    const signal = init.signal ?? undefined;
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        // fetch's names: an aborted or timed-out signal rejects with its reason.
        reject(signal?.aborted ? (signal.reason as Error) : err);
      };
      const req = (protocol === 'https:' ? https : http).request(
        url,
        { method: init.method ?? 'GET', headers, agent: agents[protocol], signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('close', () => {
            if (!res.complete) fail(new Error('The connection closed before the answer ended'));
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve(new Response(text.length > 0 ? text : null, { status: res.statusCode ?? 502 }));
          });
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  };
  return send;
}
