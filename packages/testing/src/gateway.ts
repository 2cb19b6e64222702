import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { defaultRouteTable, type AegisTenantSpecInput } from '@aegis/common';
import { startEchoUpstream, type EchoUpstream } from './echo-upstream';
import { freePort, tempDir } from './processes';
import { startService, type RunningService } from './services';
import { startTokenAuthority, type TokenAuthority } from './token-authority';

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

export interface RouteDoc {
  prefix: string;
  service: string;
  maxBodyBytes?: number;
  timeoutMs?: number;
  methods?: string[];
}

/** The gateway's settings a suite chooses: service URLs by name, routes and tenants. */
export interface GatewaySetup {
  services: Record<string, string>;
  routes: RouteDoc[];
  tenants: TenantDoc[];
}

/** Writes a route file (services by URL, routes) and a tenant file in the AegisTenant resource shape. */
export function writeGatewayFiles(options: GatewaySetup): GatewayFiles {
  const dir = tempDir('gateway');
  const routesFile = path.join(dir, 'routes.yaml');
  const tenantsFile = path.join(dir, 'tenants.yaml');
  const services = Object.fromEntries(Object.entries(options.services).map(([k, url]) => [k, { url }]));
  fs.writeFileSync(routesFile, stringify({ services, routes: options.routes }));
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

/** The default route table (the registry's, as `npm start` runs it) with the given services at this
 * run's URLs, written into `dir`; returns the file's path. Every other service points at a loopback
 * port this run reserved and nothing listens on (the gateway answers 503 for it), never at its
 * well-known port, where a developer's `npm start` may be serving. */
export async function writeDefaultRoutes(dir: string, services: Record<string, string>): Promise<string> {
  const down = `http://127.0.0.1:${await freePort()}`;
  const routes = defaultRouteTable({ serviceUrl: (s) => services[s.name] ?? down });
  const file = path.join(dir, 'routes.yaml');
  fs.writeFileSync(file, stringify(routes));
  return file;
}

export interface RunningGateway extends RunningService {
  /** The files it reads (change tenants with `files.writeTenants`). */
  files: GatewayFiles;
}

/** The gateway process on route and tenant files, verifying tokens of `authority`. */
export async function startGateway(options: {
  files: GatewayFiles;
  authority: { jwksUrl: string; revocationsUrl: string };
  env?: Record<string, string>;
}): Promise<RunningGateway> {
  const gateway = await startService({
    name: 'gateway',
    dir: 'gateway',
    env: {
      ROUTES_FILE: options.files.routesFile,
      TENANTS_FILE: options.files.tenantsFile,
      JWKS_URL: options.authority.jwksUrl,
      REVOCATIONS_URL: options.authority.revocationsUrl,
      REVOCATION_POLL_MS: '200',
      ...options.env,
    },
  });
  return { ...gateway, files: options.files };
}

/** An echo upstream and a token authority, and the gateway processes a suite starts in front of them.
 * `stop()` stops every one of them. */
export interface GatewayTestbed {
  upstream: EchoUpstream;
  authority: TokenAuthority;
  /** A service address where nothing listens. */
  downUrl: string;
  /** Starts a gateway on `files`, or on files written from the setup, whose default is one route,
   * `/api/v1/events` → `flaring-monitor` at the upstream, and the tenant `default`. */
  startGateway(
    options?: Partial<GatewaySetup> & { files?: GatewayFiles; env?: Record<string, string> },
  ): Promise<RunningGateway>;
  /** A valid token from the authority; `claims` override the defaults. */
  token(claims?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

export async function startGatewayTestbed(): Promise<GatewayTestbed> {
  const upstream = await startEchoUpstream();
  const authority = await startTokenAuthority().catch(async (err: unknown) => {
    await upstream.close();
    throw err;
  });
  const downUrl = `http://127.0.0.1:${await freePort()}`;
  const gateways: RunningGateway[] = [];
  return {
    upstream,
    authority,
    downUrl,
    async startGateway(options = {}) {
      const files =
        options.files ??
        writeGatewayFiles({
          services: options.services ?? { 'flaring-monitor': upstream.url },
          routes: options.routes ?? [{ prefix: '/api/v1/events', service: 'flaring-monitor' }],
          tenants: options.tenants ?? [{ name: 'default' }],
        });
      const gateway = await startGateway({ files, authority, env: options.env });
      gateways.push(gateway);
      return gateway;
    },
    token: (claims = {}) => authority.sign(claims),
    async stop() {
      await Promise.all(gateways.map((g) => g.stop()));
      await upstream.close();
      await authority.close();
    },
  };
}
