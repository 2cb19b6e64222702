import { startPlatform } from '@aegis/testing';
import { loginTestUsers, type Client } from '../knowledge-graph/platform';

/** Auth, the knowledge graph (no demo data), the compliance monitor (no sweep unless `monitorEnv` sets
 * SWEEP_INTERVAL_MS) and the gateway as processes on free ports, with a platform admin and a viewer of `default` and an admin of `acme`. */
export interface CompliancePlatform {
  base: string;
  admin: Client;
  viewer: Client;
  acme: Client;
  stop(): Promise<void>;
}

export async function startCompliancePlatform(
  monitorEnv: Record<string, string> = {},
): Promise<CompliancePlatform> {
  const platform = await startPlatform({
    name: 'compliance-platform',
    services: [
      { name: 'knowledge-graph', env: { SEED_DEMO_DATA: 'false' } },
      { name: 'compliance-monitor', env: { SWEEP_INTERVAL_MS: '0', ...monitorEnv } },
    ],
  });
  try {
    return { base: platform.base, ...(await loginTestUsers(platform.base)), stop: platform.stop };
  } catch (err) {
    await platform.stop();
    throw err;
  }
}
