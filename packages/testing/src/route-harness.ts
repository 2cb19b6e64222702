import {
  createLogger,
  createMetrics,
  createServiceApi,
  createServiceApp,
  createTokenVerifier,
  openStore,
  type Logger,
  type Migration,
  type Role,
  type ServiceApi,
  type Store,
  type TokenVerifier,
} from '@aegis/common';
import { jsonRequest, type JsonAnswer } from './json-request';
import { listen, type Listening } from './listen';
import { createTestTokenIssuer, type TestTokenIssuer } from './token-issuer';

/** Who calls a route harness: the user id, roles and tenant of its tokens. */
export interface RouteCaller {
  user: string;
  roles: Role[];
  tenant?: string;
}

/** What the harness opened, handed to the test's app builder. */
export interface RouteHarnessDeps<DB> {
  store: Store<DB>;
  issuer: TestTokenIssuer;
  verifier: TokenVerifier;
  logger: Logger;
  /** A bearer token for `caller` (a service's own token, say). */
  tokenFor: (caller: RouteCaller) => Promise<string>;
}

type AppLike = Parameters<typeof listen>[0];

export interface RouteHarnessOptions<DB> {
  /** The service name (the app's name, the migrations' service, the logger's and metrics' prefix). */
  name: string;
  /** The store's URL (in-memory SQLite by default). */
  url?: string;
  /** Applied under `migrationsService` (default `name`) before the app is built. */
  migrations?: readonly Migration[];
  migrationsService?: string;
  /** Tenant of a caller that names none. */
  defaultTenant?: string;
  /** Either registers routes on a service API (the harness builds the service app around them)... */
  register?: (api: ServiceApi, deps: RouteHarnessDeps<DB>) => void | Promise<void>;
  /** ...or builds the whole app (a service's own `createApp`). */
  build?: (deps: RouteHarnessDeps<DB>) => AppLike | Promise<AppLike>;
}

/** A JSON request as `caller`; `headers` are added to (and override) the caller's. */
export type RouteRequest = (
  caller: RouteCaller,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<JsonAnswer>;

/** An app in process on a loopback port, over a migrated store, with a local token issuer. */
export interface RouteHarness<DB> extends RouteHarnessDeps<DB> {
  base: string;
  /** The `authorization` header of `caller`. */
  headers: (caller: RouteCaller) => Promise<Record<string, string>>;
  request: RouteRequest;
  /** Runs `fn` on close, after the server stopped and before the store closes (last added, first run). */
  onClose: (fn: () => unknown) => void;
  /** Stops the server, runs the `onClose` steps, closes the store and the issuer. */
  close: () => Promise<void>;
}

/**
 * Opens a store and migrates it, starts a token issuer and its verifier, builds the app (`register`
 * on a service API, or `build`), listens on a port the OS picks, and returns what a route test needs.
 */
export async function startRouteHarness<DB>(options: RouteHarnessOptions<DB>): Promise<RouteHarness<DB>> {
  const { name, defaultTenant = 'tenant-a' } = options;
  const prefix = name.replace(/\W/g, '_');
  const issuer = await createTestTokenIssuer();
  const verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  const logger = createLogger({ service: `${name}-test`, level: 'silent' });
  const store = await openStore<DB>({ url: options.url ?? 'sqlite::memory:' });
  const tokenFor = (c: RouteCaller) =>
    issuer.sign({ sub: c.user, user_id: c.user, roles: c.roles, tenant_id: c.tenant ?? defaultTenant });
  const closing: (() => unknown)[] = [];
  let server: Listening | undefined;
  const close = async () => {
    await server?.close();
    for (const fn of closing.reverse()) await fn();
    closing.length = 0;
    await store.close();
    await issuer.close();
  };
  try {
    if (options.migrations) await store.migrate(options.migrationsService ?? name, options.migrations);
    const deps: RouteHarnessDeps<DB> = { store, issuer, verifier, logger, tokenFor };
    let app: AppLike;
    if (options.build) {
      app = await options.build(deps);
    } else {
      const api = createServiceApi({ verifier, checkResponses: true });
      await options.register?.(api, deps);
      app = createServiceApp({
        name,
        logger,
        metrics: createMetrics(`${prefix}_test`),
        store,
        routers: [api.router],
        rawBodyPaths: api.rawBodyRoutes(),
      });
    }
    server = await listen(app);
  } catch (err) {
    await close();
    throw err;
  }
  const base = server.url;
  const headers = async (c: RouteCaller) => ({ authorization: `Bearer ${await tokenFor(c)}` });
  return {
    base,
    store,
    issuer,
    verifier,
    logger,
    tokenFor,
    headers,
    request: requestAs(base, headers),
    onClose: (fn) => void closing.push(fn),
    close,
  };
}

/** `request` of a harness against another server of the test (an app beside the one it is about). */
export function requestAs(
  base: string,
  headers: (caller: RouteCaller) => Promise<Record<string, string>>,
): RouteRequest {
  return async (caller, method, path, body, extra) =>
    jsonRequest(`${base}${path}`, method, { body, headers: { ...(await headers(caller)), ...extra } });
}

/** Rows of `table` for `tenant` (what a refused request must leave unchanged). */
export async function countTenantRows<DB>(
  store: Store<DB>,
  table: keyof DB & string,
  tenant: string,
): Promise<number> {
  // The table is checked by the caller's type; the query is typed as one table with a tenant_id.
  const { db } = store as unknown as Store<Record<'t', { tenant_id: string }>>;
  const row = await db
    .selectFrom(table as 't')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenant)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
