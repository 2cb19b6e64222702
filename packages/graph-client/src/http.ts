import { AppError, UpstreamError, UpstreamTimeoutError, type Logger } from '@aegis/common';

/**
 * JSON requests to another AEGIS service on behalf of a caller: the caller's bearer token forwarded,
 * the tenant a platform admin named passed on as `tenant_id`, a timeout per request. An unreachable
 * or silent service is an UpstreamError / UpstreamTimeoutError (`<code>_unavailable`,
 * `<code>_timeout`). Used by the knowledge-graph client and by other service clients.
 */

/** Whom a call is made for: the caller's bearer token, and the tenant to act on when it is not the
 * token's own (a platform admin acting on another tenant; the service applies the same rule again). */
export type GraphCaller = string | { token: string; tenantId?: string };

/** The service called, for messages and error codes: `{ name: 'knowledge graph', code: 'knowledge_graph' }`. */
export interface Upstream {
  name: string;
  code: string;
}

export interface JsonReply {
  status: number;
  body: unknown;
}

export type CallerRequest = (
  method: string,
  path: string,
  caller: GraphCaller,
  body?: unknown,
  timeoutMs?: number,
) => Promise<JsonReply>;

export function callerRequest(options: {
  baseUrl: string;
  timeoutMs: number;
  upstream: Upstream;
  logger?: Logger;
  fetch?: typeof fetch;
}): CallerRequest {
  const base = options.baseUrl.replace(/\/$/, '');
  const doFetch = options.fetch ?? fetch;
  const { name, code } = options.upstream;
  return async (method, path, caller, body, timeoutMs = options.timeoutMs) => {
    const { token, tenantId } = typeof caller === 'string' ? { token: caller, tenantId: undefined } : caller;
    const url = tenantId
      ? `${base}${path}${path.includes('?') ? '&' : '?'}tenant_id=${encodeURIComponent(tenantId)}`
      : `${base}${path}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const errorName = (err as Error).name;
      options.logger?.warn({ err, method, path }, `${name[0].toUpperCase()}${name.slice(1)} request failed`);
      if (errorName === 'TimeoutError' || errorName === 'AbortError')
        throw new UpstreamTimeoutError(`The ${name} did not answer in time`, `${code}_timeout`);
      throw new UpstreamError(`The ${name} is unreachable`, `${code}_unavailable`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed };
  };
}

export function detailOf(body: unknown): unknown {
  return body && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined;
}

/** A 401 or 403 of the called service, kept as it was (the caller's token is the problem); else
 * undefined. */
export function refusedFor(reply: JsonReply, upstream: Upstream): AppError | undefined {
  if (reply.status !== 401 && reply.status !== 403) return undefined;
  const detail = detailOf(reply.body);
  const code =
    (reply.body as { code?: string } | undefined)?.code ??
    (reply.status === 401 ? 'unauthorized' : 'forbidden');
  return new AppError(
    reply.status,
    code,
    typeof detail === 'string' ? detail : `Not allowed by the ${upstream.name}`,
  );
}
