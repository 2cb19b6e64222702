import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { AegisTenantSpecInput } from '@aegis/common';
import { freePort, startNodeProcess, tempDir, type RunningProcess } from './processes';

export interface TenantDoc {
  name: string;
  spec?: AegisTenantSpecInput;
}

export interface GatewayFiles {
  dir: string;
  routesFile: string;
  tenantsFile: string;
  writeTenants(tenants: TenantDoc[]): void;
}

/** Writes a route file whose services all point at `services` (default: every service at one URL) and
 * a tenant file in the AegisTenant resource shape. */
export function writeGatewayFiles(options: {
  services: Record<string, string>;
  routes?: { prefix: string; service: string; maxBodyBytes?: number; timeoutMs?: number }[];
  tenants: TenantDoc[];
}): GatewayFiles {
  const dir = tempDir('gateway');
  const routesFile = path.join(dir, 'routes.yaml');
  const tenantsFile = path.join(dir, 'tenants.yaml');
  const routes = options.routes ?? [
    { prefix: '/api/v1/auth', service: 'auth' },
    { prefix: '/api/v1/graph', service: 'knowledge-graph' },
    { prefix: '/api/v1/ingest', service: 'ingestion' },
    { prefix: '/api/v1/events', service: 'flaring-monitor' },
    { prefix: '/api/v1/execute', service: 'orchestration' },
    { prefix: '/api/v1/conversations', service: 'orchestration' },
  ];
  const services = Object.fromEntries(Object.entries(options.services).map(([k, url]) => [k, { url }]));
  fs.writeFileSync(routesFile, stringify({ services, routes }));
  const writeTenants = (tenants: TenantDoc[]) => {
    const docs = tenants.map((t) =>
      stringify({
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisTenant',
        metadata: { name: t.name },
        spec: t.spec ?? {},
      }),
    );
    // Write then rename, as config tools do, so the gateway never reads a half-written file.
    const tmp = `${tenantsFile}.tmp`;
    fs.writeFileSync(tmp, docs.join('---\n'));
    fs.renameSync(tmp, tenantsFile);
  };
  writeTenants(options.tenants);
  return { dir, routesFile, tenantsFile, writeTenants };
}

export interface RunningGateway {
  url: string;
  adminUrl: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

export async function startGateway(options: {
  files: GatewayFiles;
  authority: { jwksUrl: string; revocationsUrl: string };
  env?: Record<string, string>;
}): Promise<RunningGateway> {
  // A port picked free can be taken by a parallel suite before the gateway binds it: try again
  // with new ports rather than fail the suite on that race.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const adminPort = await freePort();
    try {
      const proc = await startNodeProcess({
        name: 'gateway',
        entry: 'gateway/dist/main.js',
        env: {
          PORT: String(port),
          ADMIN_PORT: String(adminPort),
          ROUTES_FILE: options.files.routesFile,
          TENANTS_FILE: options.files.tenantsFile,
          JWKS_URL: options.authority.jwksUrl,
          REVOCATIONS_URL: options.authority.revocationsUrl,
          REVOCATION_POLL_MS: '200',
          ...options.env,
        },
        readyUrl: `http://127.0.0.1:${port}/ready`,
      });
      return {
        url: `http://127.0.0.1:${port}`,
        adminUrl: `http://127.0.0.1:${adminPort}`,
        process: proc,
        stop: () => proc.stop(),
      };
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}
