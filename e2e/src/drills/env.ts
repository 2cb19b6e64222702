import {
  freePort,
  startEchoUpstream,
  startGateway,
  startTokenAuthority,
  writeGatewayFiles,
  type EchoUpstream,
  type RunningGateway,
  type TenantDoc,
  type TokenAuthority,
} from '@aegis/testing';

export interface DrillEnv {
  upstream: EchoUpstream;
  authority: TokenAuthority;
  gateway: RunningGateway;
  /** A service address where nothing listens. */
  downUrl: string;
  token(claims?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

/** A gateway process in front of the echo upstream; /api/v1/events → upstream, /api/v1/execute →
 * upstream with a short timeout, /api/v1/graph → a port with nothing listening. */
export async function startDrillEnv(
  options: { env?: Record<string, string>; tenants?: TenantDoc[] } = {},
): Promise<DrillEnv> {
  const upstream = await startEchoUpstream();
  const authority = await startTokenAuthority();
  const downUrl = `http://127.0.0.1:${await freePort()}`;
  const files = writeGatewayFiles({
    services: {
      'flaring-monitor': upstream.url,
      orchestration: upstream.url,
      'knowledge-graph': downUrl,
      ingestion: upstream.url,
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
  });
  const gateway = await startGateway({
    files,
    authority,
    env: { UPSTREAM_CONNECT_TIMEOUT_MS: '1000', ...options.env },
  });
  return {
    upstream,
    authority,
    gateway,
    downUrl,
    token: (claims = {}) => authority.sign(claims),
    async stop() {
      await gateway.stop();
      await upstream.close();
      await authority.close();
    },
  };
}
