import { createLogger, createMetrics, openStore, PLATFORM_TENANT, type Store } from '@aegis/common';
import { createApp, createAuthCore, migrateAuthStore, type AuthCore, type Config } from '@aegis/auth';
import { listen } from './listen';
import { TEST_SERVICE_CLIENT_SECRET } from './services';

/** The auth app over a store (in-memory SQLite by default) on a loopback port. */
export interface TestAuth {
  url: string;
  store: Store;
  core: AuthCore;
  /** Logs in and returns the access token. */
  login(email: string, password: string): Promise<string>;
  fetch(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export const TEST_ADMIN = { email: 'admin@aegis.local', password: 'aegis-dev-admin' } as const;
export { TEST_SERVICE_CLIENT_SECRET } from './services';

export async function startTestAuth(
  options: { databaseUrl?: string; config?: Partial<Config>; now?: () => number } = {},
): Promise<TestAuth> {
  const config = {
    tokenTtlSec: 3600,
    lockout: { maxFailures: 5, lockMs: 15 * 60_000 },
    scryptLogN: 10,
    keyEncryptionKey: undefined,
    keyActivationDelaySec: 0,
    revocationPollMs: 200,
    cookieSecure: false,
    // Internal services of a test get tokens with it (the client-credentials grant, ADR 0019).
    serviceClientSecret: TEST_SERVICE_CLIENT_SECRET,
    ...options.config,
  };
  const logger = createLogger({ service: 'auth-test', level: 'silent' });
  const store = await openStore({ url: options.databaseUrl ?? 'sqlite::memory:' });
  await migrateAuthStore(store);
  const core = createAuthCore({ store, config, logger, now: options.now });
  await core.keyRing.ensureKey();
  await core.accounts.bootstrap(TEST_ADMIN, PLATFORM_TENANT);
  const app = createApp({
    core,
    logger,
    metrics: createMetrics('auth'),
    tokenTtlSec: config.tokenTtlSec,
    cookieSecure: config.cookieSecure,
    ...(config.cookieSameSite ? { cookieSameSite: config.cookieSameSite } : {}),
    now: options.now,
  });
  const server = await listen(app);
  const url = server.url;

  const doFetch: TestAuth['fetch'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${url}${path}`, { ...init, headers, body });
  };

  return {
    url,
    store,
    core,
    fetch: doFetch,
    async login(email, password) {
      const res = await doFetch('/auth/token', { method: 'POST', json: { email, password } });
      if (res.status !== 200)
        throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await server.close();
      core.close();
      await store.close();
    },
  };
}
