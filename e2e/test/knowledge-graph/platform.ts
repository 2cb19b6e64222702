import {
  startAuthService,
  startGateway,
  startLocalService,
  startedSet,
  tempDir,
  writeGatewayFiles,
  type GatewayFiles,
} from '@aegis/testing';

/** Real auth service + knowledge-graph service + gateway as processes, driven over HTTP. */
export interface KgPlatform {
  base: string;
  kgUrl: string;
  files: GatewayFiles;
  stop(): Promise<void>;
}

const unlimited = { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } };
export const KG_PREFIXES = [
  'graph',
  'entities',
  'entity-types',
  'edges',
  'query',
  'context',
  'impact',
  'seed',
];

export async function startKgPlatform(tenants: string[]): Promise<KgPlatform> {
  const dir = tempDir('kg-platform');
  const running = startedSet();
  try {
    const auth = running.started(await startAuthService(dir));
    const kg = running.started(
      await startLocalService('knowledge-graph', { dataDir: dir, authUrl: auth.url, timeoutMs: 60_000 }),
    );
    const files = writeGatewayFiles({
      services: { auth: auth.url, 'knowledge-graph': kg.url },
      routes: [
        { prefix: '/api/v1/auth', service: 'auth' },
        ...KG_PREFIXES.map((p) => ({ prefix: `/api/v1/${p}`, service: 'knowledge-graph' })),
      ],
      tenants: tenants.map((name) => ({ name, spec: unlimited })),
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
    return {
      base: gateway.url,
      kgUrl: kg.url,
      files,
      stop: () => running.stopAll(),
    };
  } catch (err) {
    await running.stopAll();
    throw err;
  }
}

export interface Client {
  token: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON responses are checked by the assertions
  call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function login(base: string, email: string, password: string): Promise<Client> {
  const res = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}`);
  const { access_token: token } = (await res.json()) as { access_token: string };
  return {
    token,
    async call(method, url, body) {
      const r = await fetch(url.startsWith('http') ? url : `${base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

export interface KgWithUsers {
  platform: KgPlatform;
  admin: Client;
  viewer: Client;
  acme: Client;
  /** A demo well of tenant `default`. */
  wellId: string;
}

/** Logs in the local platform admin, and a viewer of `default` and an admin of `acme` it creates through
 * the auth admin API. */
export async function loginTestUsers(base: string): Promise<{ admin: Client; viewer: Client; acme: Client }> {
  const admin = await login(base, 'admin@aegis.local', 'aegis-dev-admin');
  for (const [email, roles, tenant] of [
    ['kg-viewer@aegis.local', ['viewer'], undefined],
    ['admin@acme.example', ['admin'], 'acme'],
  ] as const) {
    const r = await admin.call('POST', '/api/v1/auth/users', {
      email,
      password: 'long-enough-pw-1',
      roles,
      tenant_id: tenant,
    });
    if (r.status !== 201) throw new Error(`creating ${email} answered ${r.status}`);
  }
  return {
    admin,
    viewer: await login(base, 'kg-viewer@aegis.local', 'long-enough-pw-1'),
    acme: await login(base, 'admin@acme.example', 'long-enough-pw-1'),
  };
}

/** Starts the platform with tenants `default` and `acme`, and logs in the local platform admin, a viewer
 * of `default` and an admin of `acme` (created through the auth admin API). */
export async function startKgWithUsers(): Promise<KgWithUsers> {
  const platform = await startKgPlatform(['default', 'acme']);
  try {
    const { admin, viewer, acme } = await loginTestUsers(platform.base);
    const wells = await viewer.call('GET', '/api/v1/entities/Well?page_size=1');
    return { platform, admin, viewer, acme, wellId: wells.body.data[0].entity_id as string };
  } catch (err) {
    await platform.stop();
    throw err;
  }
}

/** The platform of startKgWithUsers for one suite: started in `beforeAll`, stopped in `afterAll`; the
 * returned object's fields are set once `beforeAll` has run. */
export function useKgWithUsers(): KgWithUsers {
  const kg = {} as KgWithUsers;
  beforeAll(async () => {
    Object.assign(kg, await startKgWithUsers());
  }, 120_000);
  afterAll(async () => {
    await kg.platform?.stop();
  });
  return kg;
}
