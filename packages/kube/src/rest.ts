import http from 'node:http';
import https from 'node:https';
import { createKubeTransport, readJsonLines, readText } from './transport';
import {
  type ApplyOptions,
  type KubeApi,
  KubeApiError,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type Resource,
  resourcePath,
  type WatchEvent,
  type WatchOptions,
  type WatchStream,
} from './types';

export interface RestClientOptions {
  /** A kubeconfig file; else in-cluster credentials when `inCluster`, else the default lookup. */
  kubeconfigPath?: string;
  inCluster: boolean;
  /** The one field manager of every write. */
  fieldManager: string;
  /** Socket timeout of ordinary requests. */
  requestTimeoutMs: number;
  /** Called for every write request sent (for a writes metric). */
  onWrite?: (verb: string, resource: Resource, subresource?: string) => void;
}

export interface RestKubeApi extends KubeApi {
  server: string;
  close(): void;
}

interface Credentials {
  headers: Record<string, string>;
  expires: number;
}

/**
 * The KubeApi over the API server's REST interface. Credentials (kubeconfig, in-cluster service
 * account token with rotation, exec plugins) come from @kubernetes/client-node's KubeConfig, loaded
 * with a dynamic import because the package is ESM-only; requests go over one keep-alive agent.
 */
export async function createRestKubeApi(options: RestClientOptions): Promise<RestKubeApi> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else if (options.inCluster) kc.loadFromCluster();
  else kc.loadFromDefault();
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig names no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const secure = server.startsWith('https:');

  const first: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(first);
  const agentOptions: https.AgentOptions = {
    keepAlive: true,
    maxSockets: 32,
    ...(first.ca ? { ca: first.ca } : {}),
    ...(first.cert ? { cert: first.cert } : {}),
    ...(first.key ? { key: first.key } : {}),
    ...(first.rejectUnauthorized !== undefined ? { rejectUnauthorized: first.rejectUnauthorized } : {}),
    ...(first.servername ? { servername: first.servername } : {}),
  };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent({ keepAlive: true, maxSockets: 32 });

  let credentials: Credentials | undefined;
  async function authHeaders(): Promise<Record<string, string>> {
    // Re-read at most every 10 s: service-account tokens rotate on disk, exec plugins refresh.
    if (credentials && credentials.expires > Date.now()) return credentials.headers;
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    credentials = { headers, expires: Date.now() + 10_000 };
    return headers;
  }
  const transport = createKubeTransport({ server, agent, headers: authHeaders });

  function toError(status: number, text: string, method: string, path: string): KubeApiError {
    let parsed: { reason?: string; message?: string; details?: unknown } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // not a Status object
    }
    return new KubeApiError(
      status,
      parsed.reason ?? 'Unknown',
      `${method} ${path}: ${status} ${parsed.message ?? text.slice(0, 500)}`,
      parsed.details,
    );
  }

  async function call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const { status, text } = await transport.send(method, path, {
      body,
      contentType,
      timeoutMs: options.requestTimeoutMs,
    });
    if (status < 200 || status >= 300) throw toError(status, text, method, path);
    return (text ? JSON.parse(text) : {}) as T;
  }

  const query = (params: Record<string, string | number | boolean | undefined>): string => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  const wrote = (verb: string, resource: Resource, sub?: string) => options.onWrite?.(verb, resource, sub);
  const fm = options.fieldManager;

  return {
    server,
    close: () => transport.close(),
    async list<T extends KubeObject>(resource: Resource, opts: ListOptions = {}): Promise<ListResult<T>> {
      const out = await call<{ items: T[]; metadata: { resourceVersion: string } }>(
        'GET',
        `${resourcePath(resource)}${query({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })}`,
      );
      return { items: out.items ?? [], resourceVersion: out.metadata.resourceVersion };
    },
    async watch<T extends KubeObject>(
      resource: Resource,
      opts: WatchOptions,
      onEvent: (event: WatchEvent<T>) => void,
    ): Promise<WatchStream> {
      const path = `${resourcePath(resource)}${query({
        watch: 1,
        allowWatchBookmarks: true,
        resourceVersion: opts.resourceVersion,
        timeoutSeconds: opts.timeoutSeconds,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
      })}`;
      const res = await transport.open('GET', path, { timeoutMs: 0 });
      if (res.statusCode !== 200) throw toError(res.statusCode ?? 0, await readText(res), 'GET', path);
      return readJsonLines(res, (event) => onEvent(event as WatchEvent<T>));
    },
    async get<T extends KubeObject>(resource: Resource, name: string): Promise<T | undefined> {
      try {
        return await call<T>('GET', resourcePath(resource, name));
      } catch (err) {
        if (err instanceof KubeApiError && err.status === 404) return undefined;
        throw err;
      }
    },
    async create<T extends KubeObject>(resource: Resource, object: T): Promise<T> {
      wrote('create', resource);
      return call<T>('POST', `${resourcePath(resource)}${query({ fieldManager: fm })}`, object);
    },
    async replace<T extends KubeObject>(resource: Resource, object: T): Promise<T> {
      wrote('update', resource);
      return call<T>(
        'PUT',
        `${resourcePath(resource, object.metadata.name)}${query({ fieldManager: fm })}`,
        object,
      );
    },
    async apply<T extends KubeObject>(
      resource: Resource,
      object: KubeObject,
      opts: ApplyOptions = {},
    ): Promise<T> {
      wrote('apply', resource, opts.subresource);
      return call<T>(
        'PATCH',
        `${resourcePath(resource, object.metadata.name, opts.subresource)}${query({ fieldManager: fm, force: true })}`,
        object,
        'application/apply-patch+yaml',
      );
    },
    async mergePatch<T extends KubeObject>(resource: Resource, name: string, patch: unknown): Promise<T> {
      wrote('patch', resource);
      return call<T>(
        'PATCH',
        `${resourcePath(resource, name)}${query({ fieldManager: fm })}`,
        patch,
        'application/merge-patch+json',
      );
    },
    async delete(resource: Resource, name: string, opts: { uid?: string } = {}): Promise<void> {
      wrote('delete', resource);
      await call(
        'DELETE',
        resourcePath(resource, name),
        opts.uid ? { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: opts.uid } } : undefined,
      );
    },
  };
}
