import { jsonRequest, startPlatform, UNLIMITED_TENANT, type GatewayFiles } from '@aegis/testing';

/** Real auth service + knowledge-graph service + gateway as processes, driven over HTTP. */
export interface KgPlatform {
  base: string;
  kgUrl: string;
  files: GatewayFiles;
  stop(): Promise<void>;
}

/** Starts the platform with the knowledge graph (and its demo data) for `tenants`. */
export async function startKgPlatform(tenants: string[]): Promise<KgPlatform> {
  const platform = await startPlatform({
    name: 'kg-platform',
    services: ['knowledge-graph'],
    tenants: tenants.map((name) => ({ name, spec: UNLIMITED_TENANT })),
  });
  return {
    base: platform.base,
    kgUrl: platform.services['knowledge-graph'].url,
    files: platform.gateway.files,
    stop: platform.stop,
  };
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
    call: (method, url, body) =>
      jsonRequest(url.startsWith('http') ? url : `${base}${url}`, method, {
        token,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
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

/** A user to create: email, roles, and its tenant (`default` when undefined). */
export type NewUser = readonly [email: string, roles: readonly string[], tenant: string | undefined];

/** Creates `users` through the auth admin API of the gateway at `base` (as `admin`, with `password`),
 * then logs each one in, in the same order. */
export async function createAndLogin(
  base: string,
  admin: Client,
  users: readonly NewUser[],
  password: string,
): Promise<Client[]> {
  for (const [email, roles, tenant] of users) {
    const r = await admin.call('POST', '/api/v1/auth/users', { email, password, roles, tenant_id: tenant });
    if (r.status !== 201) throw new Error(`creating ${email} answered ${r.status}`);
  }
  return Promise.all(users.map(([email]) => login(base, email, password)));
}

/** Logs in the local platform admin, and a viewer of `default` and an admin of `acme` it creates through
 * the auth admin API. */
export async function loginTestUsers(base: string): Promise<{ admin: Client; viewer: Client; acme: Client }> {
  const admin = await login(base, 'admin@aegis.local', 'aegis-dev-admin');
  const [viewer, acme] = await createAndLogin(
    base,
    admin,
    [
      ['kg-viewer@aegis.local', ['viewer'], undefined],
      ['admin@acme.example', ['admin'], 'acme'],
    ],
    'long-enough-pw-1',
  );
  return { admin, viewer, acme };
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
