import { SERVICES } from '@aegis/common';
import {
  startAuthService,
  startGateway,
  startLocalService,
  startedSet,
  tempDir,
  writeGatewayFiles,
} from '@aegis/testing';
import { KG_PREFIXES, loginTestUsers, type Client } from '../knowledge-graph/platform';

/** Auth, the knowledge graph (no demo data), the compliance monitor (no sweep unless `monitorEnv` sets
 * SWEEP_INTERVAL_MS) and the gateway as
 * processes on free ports, with a platform admin and a viewer of `default` and an admin of `acme`. */
export interface CompliancePlatform {
  base: string;
  admin: Client;
  viewer: Client;
  acme: Client;
  stop(): Promise<void>;
}

const unlimited = { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } };
const COMPLIANCE_ROUTES = SERVICES.find((s) => s.name === 'compliance-monitor')!.routes;

export async function startCompliancePlatform(
  monitorEnv: Record<string, string> = {},
): Promise<CompliancePlatform> {
  const dir = tempDir('compliance-platform');
  const running = startedSet();
  try {
    const auth = running.started(await startAuthService(dir));
    const local = { dataDir: dir, authUrl: auth.url, timeoutMs: 60_000 };
    const kg = running.started(
      await startLocalService('knowledge-graph', { ...local, env: { SEED_DEMO_DATA: 'false' } }),
    );
    const monitor = running.started(
      await startLocalService('compliance-monitor', {
        ...local,
        env: { KNOWLEDGE_GRAPH_URL: kg.url, SWEEP_INTERVAL_MS: '0', ...monitorEnv },
      }),
    );
    const files = writeGatewayFiles({
      services: { auth: auth.url, 'knowledge-graph': kg.url, 'compliance-monitor': monitor.url },
      routes: [
        { prefix: '/api/v1/auth', service: 'auth' },
        ...KG_PREFIXES.map((p) => ({ prefix: `/api/v1/${p}`, service: 'knowledge-graph' })),
        ...COMPLIANCE_ROUTES.map((r) => ({ prefix: r.prefix, service: 'compliance-monitor' })),
      ],
      tenants: ['default', 'acme'].map((name) => ({ name, spec: unlimited })),
    });
    const gateway = running.started(
      await startGateway({
        files,
        authority: {
          jwksUrl: `${auth.url}/auth/.well-known/jwks.json`,
          revocationsUrl: `${auth.url}/internal/revocations`,
        },
      }),
    );
    const base = gateway.url;
    return {
      base,
      ...(await loginTestUsers(base)),
      stop: () => running.stopAll(),
    };
  } catch (err) {
    await running.stopAll();
    throw err;
  }
}
