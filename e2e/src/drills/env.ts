import {
  startGatewayTestbed,
  type GatewayTestbed,
  type RunningGateway,
  type TenantDoc,
} from '@aegis/testing';

export interface DrillEnv extends GatewayTestbed {
  gateway: RunningGateway;
}

/** A gateway process in front of the echo upstream; /api/v1/events → upstream, /api/v1/execute →
 * upstream with a short timeout, /api/v1/graph → a port with nothing listening. */
export async function startDrillEnv(
  options: { env?: Record<string, string>; tenants?: TenantDoc[] } = {},
): Promise<DrillEnv> {
  const bed = await startGatewayTestbed();
  try {
    const gateway = await bed.startGateway({
      services: {
        'flaring-monitor': bed.upstream.url,
        orchestration: bed.upstream.url,
        'knowledge-graph': bed.downUrl,
        ingestion: bed.upstream.url,
      },
      routes: [
        { prefix: '/api/v1/events', service: 'flaring-monitor' },
        { prefix: '/api/v1/execute', service: 'orchestration', timeoutMs: 1000 },
        { prefix: '/api/v1/graph', service: 'knowledge-graph' },
        { prefix: '/api/v1/ingest', service: 'ingestion', maxBodyBytes: 1024 * 1024 },
      ],
      tenants: options.tenants ?? [
        { name: 'default', spec: { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } } },
      ],
      env: { UPSTREAM_CONNECT_TIMEOUT_MS: '1000', ...options.env },
    });
    return { ...bed, gateway };
  } catch (err) {
    await bed.stop();
    throw err;
  }
}
