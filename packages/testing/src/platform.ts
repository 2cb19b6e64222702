import fs from 'node:fs';
import { SERVICES, serviceByName } from '@aegis/common';
import {
  startGateway,
  writeGatewayFiles,
  type RouteDoc,
  type RunningGateway,
  type TenantDoc,
} from './gateway';
import { freePort, startedSet, tempDir } from './processes';
import { startAuthService, startLocalService, type RunningService } from './services';

/** A service of the platform a suite starts, with its own settings. */
export interface PlatformService {
  name: string;
  /** Added to (and overriding) the service's environment. */
  env?: Record<string, string>;
}

export interface PlatformOptions {
  /** Name of the temporary data directory. */
  name?: string;
  /** Started in this order after auth; each sees the URLs of every service (below). */
  services: readonly (string | PlatformService)[];
  /** Addresses of services a suite provides itself (an HTTP stand-in), by service name. */
  upstreams?: Record<string, string>;
  /** Extra environment of the auth service (e.g. SERVICE_CLIENT_SECRET). */
  authEnv?: Record<string, string>;
  /** The gateway's tenants; by default `default` and `acme`, both without practical rate limits. */
  tenants?: TenantDoc[];
  /** How long each service may take to become ready. */
  timeoutMs?: number;
}

/** Auth, the chosen services and the gateway as `npm start` runs them, on free loopback ports. */
export interface TestPlatform {
  /** The gateway's base URL (append /api/v1/…). */
  base: string;
  /** The temporary data directory (SQLite files). */
  dir: string;
  auth: RunningService;
  gateway: RunningGateway;
  /** Every started service by name. */
  services: Record<string, RunningService>;
  /** Stops every process and removes the data directory. */
  stop: () => Promise<void>;
}

/** Generous limits, so a suite's own traffic is never throttled. */
export const UNLIMITED_TENANT = { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } };

/** The variable a service reads another service's address from: `knowledge-graph` → `KNOWLEDGE_GRAPH_URL`. */
export const serviceUrlVariable = (name: string) => `${name.toUpperCase().replace(/-/g, '_')}_URL`;

/**
 * Starts auth (SQLite, the development admin), then `options.services` in order on SQLite files in one
 * temporary directory, then the gateway with the registry's route rows of the started services. Every
 * service gets `<NAME>_URL` for every registry service: the started one's address, or a loopback port
 * this run reserved and nothing listens on — never a well-known port, where a developer's `npm start`
 * may be serving.
 */
export async function startPlatform(options: PlatformOptions): Promise<TestPlatform> {
  const dir = tempDir(options.name ?? 'platform');
  const running = startedSet();
  const stop = async () => {
    await running.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const down = `http://127.0.0.1:${await freePort()}`;
    const urls: Record<string, string> = Object.fromEntries(
      SERVICES.map((s) => [serviceUrlVariable(s.name), down]),
    );
    for (const [name, url] of Object.entries(options.upstreams ?? {})) urls[serviceUrlVariable(name)] = url;
    const auth = running.started(await startAuthService(dir, options.authEnv));
    urls[serviceUrlVariable('auth')] = auth.url;
    const services: Record<string, RunningService> = {};
    for (const entry of options.services) {
      const { name, env } = typeof entry === 'string' ? { name: entry, env: undefined } : entry;
      const service = running.started(
        await startLocalService(name, {
          dataDir: dir,
          authUrl: auth.url,
          env: { ...urls, ...env },
          timeoutMs: options.timeoutMs ?? 60_000,
        }),
      );
      services[name] = service;
      urls[serviceUrlVariable(name)] = service.url;
    }
    const routes: RouteDoc[] = ['auth', ...Object.keys(services)].flatMap((name) =>
      serviceByName(name).routes.map((r) => ({
        prefix: r.prefix,
        service: name,
        timeoutMs: r.timeoutMs,
        // The registry's method restriction (compliance/deadlines is POST only: GET is the orchestration's).
        ...(r.methods ? { methods: [...r.methods] } : {}),
      })),
    );
    const files = writeGatewayFiles({
      services: {
        auth: auth.url,
        ...Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.url])),
      },
      routes,
      tenants: options.tenants ?? ['default', 'acme'].map((name) => ({ name, spec: UNLIMITED_TENANT })),
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
    return { base: gateway.url, dir, auth, gateway, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Tokens of the users most suites need: the local platform admin, an operator and a viewer of
 * `default`, and an operator of `acme` (created through the auth admin API of the gateway at `base`). */
export interface PlatformTokens {
  admin: string;
  operator: string;
  viewer: string;
  otherTenant: string;
}

export async function platformTokens(base: string): Promise<PlatformTokens> {
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${base}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as { access_token: string };
  };
  const login = async (email: string, password: string) =>
    (await post('auth/token', { email, password })).access_token;
  const admin = await login('admin@aegis.local', 'aegis-dev-admin');
  const user = async (email: string, roles: string[], tenantId?: string) => {
    await post(
      'auth/users',
      { email, password: 'test-password-1', roles, ...(tenantId ? { tenant_id: tenantId } : {}) },
      admin,
    );
    return login(email, 'test-password-1');
  };
  return {
    admin,
    operator: await user('operator@aegis.local', ['operator', 'viewer']),
    viewer: await user('viewer@aegis.local', ['viewer']),
    otherTenant: await user('operator@acme.example', ['operator', 'viewer'], 'acme'),
  };
}
