import http from 'node:http';
import https from 'node:https';

/**
 * HTTP to an API server: one keep-alive agent, JSON requests, and watch streams read as one JSON event
 * per line. The KubeApi (rest.ts) is built on it, and so is the raw client of the e2e control-plane
 * harness, which needs the statuses a KubeApi turns into errors.
 */
export interface KubeTransportOptions {
  /** https://host:port (or http:// for a plain local server), without a trailing slash. */
  server: string;
  agent: http.Agent;
  /** Headers of every request (authorization); called per request so rotated credentials apply. */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
}

export interface SendOptions {
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Defaults to application/json. */
  contentType?: string;
  /** Socket idle timeout; 0 for none (watches). */
  timeoutMs?: number;
}

/** An open stream of newline-delimited JSON. `done` resolves when it ends (the server closed it, it
 * failed, or close() was called), with the error if there was one. */
export interface JsonLineStream {
  close(): void;
  done: Promise<{ error?: Error }>;
}

export interface KubeTransport {
  server: string;
  /** Sends a request; resolves with the response, whatever its status. */
  open(method: string, path: string, options?: SendOptions): Promise<http.IncomingMessage>;
  /** Sends a request and reads the whole answer as text. */
  send(method: string, path: string, options?: SendOptions): Promise<{ status: number; text: string }>;
  close(): void;
}

export async function readText(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Calls onValue with each JSON line of a response, in order. A line that is not JSON, or a handler
 * that throws, ends the stream with that error. */
export function readJsonLines(res: http.IncomingMessage, onValue: (value: unknown) => void): JsonLineStream {
  let buffered = '';
  let failure: Error | undefined;
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      try {
        onValue(JSON.parse(line));
      } catch (err) {
        failure = err as Error;
        res.destroy();
        return;
      }
    }
  });
  const done = new Promise<{ error?: Error }>((resolve) => {
    res.on('error', (err) => {
      failure ??= err;
    });
    res.on('close', () => resolve(failure ? { error: failure } : {}));
  });
  return { close: () => res.destroy(), done };
}

export function createKubeTransport(options: KubeTransportOptions): KubeTransport {
  const server = options.server.replace(/\/+$/, '');
  const secure = server.startsWith('https:');

  async function open(method: string, path: string, opts: SendOptions = {}): Promise<http.IncomingMessage> {
    const payload =
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body);
    const auth = (await options.headers?.()) ?? {};
    const timeoutMs = opts.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(new URL(`${server}${path}`), {
        method,
        agent: options.agent,
        headers: {
          accept: 'application/json',
          ...auth,
          ...(payload !== undefined
            ? {
                'content-type': opts.contentType ?? 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
        ...(timeoutMs > 0 ? { timeout: timeoutMs } : {}),
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.on('response', resolve);
      req.end(payload);
    });
  }

  return {
    server,
    open,
    async send(method, path, opts) {
      const res = await open(method, path, opts);
      const text = await readText(res);
      return { status: res.statusCode ?? 0, text };
    },
    close: () => options.agent.destroy(),
  };
}
