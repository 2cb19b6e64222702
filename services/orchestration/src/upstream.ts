import { UpstreamError, type Logger } from '@aegis/common';
import { callerRequest, detailOf, refusedFor, type GraphCaller, type Upstream } from '@aegis/graph-client';
import type { z } from 'zod';

/** The services the orchestration calls, as their errors name them (`<code>_unavailable`, …). */
export const UPSTREAMS = {
  'knowledge-graph': { name: 'knowledge graph', code: 'knowledge_graph' },
  'flaring-monitor': { name: 'flaring monitor', code: 'flaring_monitor' },
  'compliance-monitor': { name: 'compliance monitor', code: 'compliance_monitor' },
} as const satisfies Record<string, Upstream>;

export interface UpstreamOptions {
  baseUrl: string;
  timeoutMs: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

/**
 * One `POST path` of another service (a monitor) for a caller, its 200 answer checked by `schema`: an
 * unreachable or silent service is `<code>_unavailable` / `<code>_timeout`, a 401/403 its refusal, any
 * other answer `<code>_error` ("The <name> failed to <failure> (status …)"), logged with its detail.
 */
export function upstreamPost<S extends z.ZodType>(
  options: UpstreamOptions,
  upstream: Upstream,
  path: string,
  schema: S,
  failure: string,
): (caller: GraphCaller, body: unknown) => Promise<z.output<S>> {
  const call = callerRequest({ ...options, upstream });
  const name = `${upstream.name[0].toUpperCase()}${upstream.name.slice(1)}`;
  return async (caller, body) => {
    const reply = await call('POST', path, caller, body);
    const refused = refusedFor(reply, upstream);
    if (refused) throw refused;
    const parsed = reply.status === 200 ? schema.safeParse(reply.body) : undefined;
    if (parsed?.success) return parsed.data;
    options.logger?.error(
      { status: reply.status, detail: detailOf(reply.body), path },
      `${name} answered unexpectedly`,
    );
    throw new UpstreamError(
      `The ${upstream.name} failed to ${failure} (status ${reply.status})`,
      `${upstream.code}_error`,
    );
  };
}
