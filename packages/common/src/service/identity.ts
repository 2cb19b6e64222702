import { z } from 'zod';
import { envString } from '../config/load';
import { UpstreamError } from '../errors';
import type { ServiceName } from '../registry/services';

/**
 * How an internal service calls other services with no user request behind it (a scheduled sweep):
 * a short-lived token of its own from the auth service's client-credentials grant (ADR 0019). The token
 * has `sub: service:<name>`, tenant `default` and the role `service`, which may name another tenant, so
 * `caller(tenantId)` is what a per-tenant call passes (a `GraphCaller` of @aegis/graph-client).
 */
export interface ServiceIdentity {
  /** A valid token: cached, renewed before it expires; concurrent callers share one request. */
  token(): Promise<string>;
  /** The token and the tenant a call acts on (sent as `tenant_id`). */
  caller(tenantId: string): Promise<{ token: string; tenantId: string }>;
  /** Every tenant that has users (`GET /auth/tenants`, all pages). */
  tenants(): Promise<string[]>;
}

export interface ServiceIdentityOptions {
  /** The auth service's base URL (`AUTH_URL`), e.g. `http://127.0.0.1:8009`. */
  authUrl: string;
  /** The client id: this service's name in the registry. */
  name: ServiceName;
  /** `SERVICE_CLIENT_SECRET`, shared by auth and the internal services. */
  secret: string;
  fetch?: typeof fetch;
  /** The clock (tests fix it). */
  now?: () => number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/** The variable a service that calls others on its own reads (spread into its env schema beside
 * `authClientEnv`, whose AUTH_URL is where the token comes from). Empty: auth refuses the grant. */
export const serviceIdentityEnv = {
  SERVICE_CLIENT_SECRET: envString(''),
};

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const tenantsAnswer = z.object({
  data: z.array(z.object({ tenant_id: z.string() })),
  total: z.number().int().nonnegative(),
});

/** Page size of the tenant listing (the endpoint's maximum). */
const TENANT_PAGE_SIZE = 100;

/** Renew when less than this share of the lifetime is left (at least 10 s early). */
function renewAt(issuedAt: number, expiresInMs: number): number {
  return issuedAt + expiresInMs - Math.max(10_000, expiresInMs / 5);
}

export function createServiceIdentity(opts: ServiceIdentityOptions): ServiceIdentity {
  const base = opts.authUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  /** Thrown for a 401, so a call with a token auth no longer accepts can retry with a new one. */
  class Refused401 extends UpstreamError {}

  const request = async (path: string, init: RequestInit): Promise<unknown> => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new UpstreamError(`Auth service unreachable: ${(err as Error).message}`, 'auth_unavailable');
    }
    if (!res.ok) {
      // Never echo the answer: it may quote what was sent.
      const Err = res.status === 401 ? Refused401 : UpstreamError;
      throw new Err(`Auth service answered ${res.status} to ${path}`, 'auth_refused');
    }
    return res.json();
  };

  const fetchToken = async (): Promise<string> => {
    const issuedAt = now();
    const body = await request('/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: opts.name,
        client_secret: opts.secret,
      }),
    });
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) throw new UpstreamError('Auth service gave no usable token', 'auth_refused');
    cached = {
      token: parsed.data.access_token,
      renewAt: renewAt(issuedAt, parsed.data.expires_in * 1000),
    };
    return cached.token;
  };

  const token = (): Promise<string> => {
    if (cached && now() < cached.renewAt) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => (pending = undefined));
    return pending;
  };

  return {
    token,
    async caller(tenantId) {
      return { token: await token(), tenantId };
    },
    async tenants() {
      const all: string[] = [];
      const page = async (n: number): Promise<unknown> => {
        const path = `/auth/tenants?page=${n}&page_size=${TENANT_PAGE_SIZE}`;
        const get = async () =>
          request(path, {
            headers: { authorization: `Bearer ${await token()}`, accept: 'application/json' },
          });
        try {
          return await get();
        } catch (err) {
          if (!(err instanceof Refused401)) throw err;
          cached = undefined; // revoked, or signed with a key auth dropped: one retry with a new token
          return get();
        }
      };
      for (let n = 1; ; n++) {
        const body = await page(n);
        const parsed = tenantsAnswer.safeParse(body);
        if (!parsed.success) throw new UpstreamError('Auth service gave no tenant list', 'auth_refused');
        all.push(...parsed.data.data.map((t) => t.tenant_id));
        if (parsed.data.data.length === 0 || all.length >= parsed.data.total) return all;
      }
    },
  };
}
