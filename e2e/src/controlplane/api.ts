/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes answers are untyped JSON; callers that
   want a type pass it as the type parameter. */
import http from 'node:http';
import https from 'node:https';

/** A minimal Kubernetes REST client over node:https (bearer token, pinned CA). */
export interface KubeClientOptions {
  /** https://127.0.0.1:PORT */
  server: string;
  /** Bearer token; or a client certificate and key below. */
  token?: string;
  certPem?: string | Buffer;
  keyPem?: string | Buffer;
  /** CA of the serving certificate; omitted means the system CAs. */
  caPem?: string | Buffer;
}

export interface KubeResponse<T = any> {
  status: number;
  /** Parsed JSON, or the raw text when the answer is not JSON. */
  body: T;
}

export const WATCH_EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const;
export interface WatchEvent<T = any> {
  type: (typeof WATCH_EVENT_TYPES)[number];
  object: T;
}

export interface Watch {
  /** Ends the watch; `done` then resolves. */
  close(): void;
  /** Resolves when the server or close() ends the stream. */
  done: Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** Defaults to application/json; use application/apply-patch+yaml, application/merge-patch+json, ... */
  contentType?: string;
  timeoutMs?: number;
}

export interface KubeClient {
  server: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<KubeResponse<T>>;
  /** Opens a watch (`path` must carry watch=1) and calls onEvent for each event, in order. */
  watch<T = any>(path: string, onEvent: (event: WatchEvent<T>) => void): Promise<Watch>;
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createKubeClient({ server, token, certPem, keyPem, caPem }: KubeClientOptions): KubeClient {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 16,
    ...(caPem ? { ca: caPem } : {}),
    ...(certPem && keyPem ? { cert: certPem, key: keyPem } : {}),
  });
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };

  function open(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, server), {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload !== undefined
            ? {
                'content-type': options.contentType ?? 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
        timeout: options.timeoutMs ?? 30_000,
      });
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 30_000} ms`)),
      );
      req.on('error', reject);
      req.on('response', resolve);
      req.end(payload);
    });
  }

  return {
    server,
    async request(method, path, options = {}) {
      const res = await open(method, path, options);
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return { status: res.statusCode ?? 0, body: parse(Buffer.concat(chunks).toString('utf8')) };
    },
    async watch(path, onEvent) {
      // A watch stays open for as long as the server allows; no socket idle timeout.
      const res = await open('GET', path, { timeoutMs: 0 });
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        throw new Error(`watch ${path}: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8')}`);
      }
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) onEvent(JSON.parse(line));
        }
      });
      const done = new Promise<void>((resolve) => {
        res.on('end', resolve);
        res.on('close', resolve);
        res.on('error', () => resolve());
      });
      return { close: () => res.destroy(), done };
    },
  };
}

/**
 * GETs a health endpoint and resolves to the body text when the status is 200, else undefined.
 * `ca` pins the CA; without it the peer certificate is not checked (components' self-signed ports).
 */
export function probe(
  url: string,
  options: { ca?: string | Buffer; token?: string } = {},
): Promise<string | undefined> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(
      target,
      {
        timeout: 5_000,
        ...(target.protocol === 'https:'
          ? options.ca
            ? { ca: options.ca }
            : { rejectUnauthorized: false }
          : {}),
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(res.statusCode === 200 ? text : undefined));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 5 s`)));
    req.on('error', reject);
  });
}
