import { AppError, UpstreamError } from '@aegis/common';
import { callerRequest, detailOf, refusedFor, type CallerRequest, type Upstream } from '@aegis/graph-client';
import { UPSTREAMS } from '../upstream';
import type { PlatformClients } from './types';

type ServiceName = Parameters<PlatformClients['call']>[0];

export interface PlatformClientOptions {
  urls: { knowledgeGraph: string; flaringMonitor: string; complianceMonitor: string };
  /** Per-request timeout (TOOL_TIMEOUT_MS). */
  timeoutMs: number;
  /** Tests inject a fetch; production uses the global one. */
  fetch?: typeof fetch;
}

/**
 * JSON calls from the tools to the knowledge graph and the monitors, with the run's caller (the
 * service identity acting on the run's tenant). A 2xx answers its body; a 401/403 keeps its status
 * and code; any other 4xx is an AppError with the service's status, code and detail (the tool's
 * arguments were wrong: the planner sees why); a 5xx or no answer is an UpstreamError.
 */
export function createPlatformClients(options: PlatformClientOptions): PlatformClients {
  const bases: Record<ServiceName, string> = {
    'knowledge-graph': options.urls.knowledgeGraph,
    'flaring-monitor': options.urls.flaringMonitor,
    'compliance-monitor': options.urls.complianceMonitor,
  };
  const requests = new Map<ServiceName, CallerRequest>(
    (Object.keys(UPSTREAMS) as ServiceName[]).map((s) => [
      s,
      callerRequest({
        baseUrl: bases[s],
        timeoutMs: options.timeoutMs,
        upstream: UPSTREAMS[s],
        fetch: options.fetch,
      }),
    ]),
  );
  return {
    async call<T>(
      service: ServiceName,
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      path: string,
      caller: Parameters<PlatformClients['call']>[3],
      body?: unknown,
    ): Promise<T> {
      const upstream: Upstream = UPSTREAMS[service];
      const reply = await requests.get(service)!(method, path, caller, body);
      if (reply.status >= 200 && reply.status < 300) return reply.body as T;
      const refused = refusedFor(reply, upstream);
      if (refused) throw refused;
      if (reply.status >= 400 && reply.status < 500) {
        const code = (reply.body as { code?: unknown } | undefined)?.code;
        const detail = detailOf(reply.body);
        throw new AppError(
          reply.status,
          typeof code === 'string' ? code : `${upstream.code}_rejected`,
          typeof detail === 'string' || Array.isArray(detail)
            ? (detail as AppError['detail'])
            : `The ${upstream.name} refused the request (${reply.status})`,
        );
      }
      throw new UpstreamError(
        `The ${upstream.name} failed (${reply.status})`,
        `${upstream.code}_unavailable`,
      );
    },
  };
}
