/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes answers are untyped JSON; callers that
   want a type pass it as the type parameter. */
import http from 'node:http';
import https from 'node:https';
import { createKubeTransport, type WatchEvent as KubeWatchEvent, readJsonLines, readText } from '@aegis/kube';

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

export { WATCH_EVENT_TYPES } from '@aegis/kube';
export type WatchEvent<T = any> = KubeWatchEvent<T>;

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

/** Over the shared transport of @aegis/kube; unlike its KubeApi, this answers every status as is. */
export function createKubeClient({ server, token, certPem, keyPem, caPem }: KubeClientOptions): KubeClient {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 16,
    ...(caPem ? { ca: caPem } : {}),
    ...(certPem && keyPem ? { cert: certPem, key: keyPem } : {}),
  });
  const transport = createKubeTransport({
    server,
    agent,
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
  });

  return {
    server,
    async request(method, path, options = {}) {
      const { status, text } = await transport.send(method, path, options);
      return { status, body: parse(text) };
    },
    async watch(path, onEvent) {
      // A watch stays open for as long as the server allows; no socket idle timeout.
      const res = await transport.open('GET', path, { timeoutMs: 0 });
      if (res.statusCode !== 200) {
        throw new Error(`watch ${path}: HTTP ${res.statusCode}: ${await readText(res)}`);
      }
      const stream = readJsonLines(res, (event) => onEvent(event as WatchEvent));
      return { close: () => stream.close(), done: stream.done.then(() => undefined) };
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
