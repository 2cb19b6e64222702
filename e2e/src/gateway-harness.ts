import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { createTestTokenIssuer, type AegisTenantSpecInput, type TestTokenIssuer } from '@aegis/common';
import { freePort, startNodeProcess, tempDir, type RunningProcess } from './processes';

/** A stand-in for the auth service's key and revocation endpoints: signs test tokens with its own
 * Ed25519 key and serves a revocation feed that tests can change. */
export interface TokenAuthority extends TestTokenIssuer {
  revocationsUrl: string;
  revoke(jti: string, exp: number): void;
  deactivate(userId: string): void;
}

export async function startTokenAuthority(): Promise<TokenAuthority> {
  const issuer = await createTestTokenIssuer();
  const revoked: { jti: string; exp: number }[] = [];
  const users = new Map<string, boolean>();
  let version = 0;
  const feed = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        cursor: String(version),
        full: true,
        revoked_tokens: revoked,
        users: [...users].map(([user_id, active]) => ({ user_id, active, tokens_valid_from: null })),
      }),
    );
  });
  feed.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  const { port } = feed.address() as AddressInfo;
  const authority = Object.create(issuer) as TokenAuthority;
  return Object.assign(authority, {
    sign: issuer.sign.bind(issuer),
    signWithUnpublishedKey: issuer.signWithUnpublishedKey.bind(issuer),
    addKey: issuer.addKey.bind(issuer),
    jwksUrl: issuer.jwksUrl,
    kid: issuer.kid,
    publicJwk: issuer.publicJwk,
    revocationsUrl: `http://127.0.0.1:${port}/internal/revocations`,
    revoke(jti: string, exp: number) {
      revoked.push({ jti, exp });
      version += 1;
    },
    deactivate(userId: string) {
      users.set(userId, false);
      version += 1;
    },
    async close() {
      await issuer.close();
      await new Promise<void>((resolve) => {
        feed.close(() => resolve());
        feed.closeAllConnections();
      });
    },
  });
}

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
