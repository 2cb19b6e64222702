/** The auth service's admin API, as the operator uses it: create a tenant's bootstrap administrator
 * (idempotent: 409 means it exists), report whether a tenant is suspended (so its users get no
 * tokens, ADR 0023) and deactivate a tenant's users when the tenant goes away. */

export interface AdminApiOptions {
  url: string;
  email: string;
  password: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** A reported tenant state is sent again after this long even when unchanged, so an auth store
   * that lost it heals (default 5 minutes). */
  stateTtlMs?: number;
  now?: () => number;
}

export class AuthApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AuthApiError';
  }
}

export interface AdminProvisioner {
  /** 'created' or 'exists'. */
  ensureAdmin(input: {
    tenantId: string;
    email: string;
    password: string;
    displayName?: string;
  }): Promise<'created' | 'exists'>;
  /** Deactivates every active user of the tenant; returns how many it deactivated. */
  deactivateUsers(tenantId: string): Promise<number>;
  /** Tells auth whether the tenant is suspended (PUT /auth/tenants/{tenant_id}/state); a state this
   * client reported recently is not sent again ('unchanged'). Optional so fakes may leave it out. */
  reportTenantState?(tenantId: string, suspended: boolean): Promise<'reported' | 'unchanged'>;
}

interface UserView {
  id: string;
  active: boolean;
}

export function createAuthAdminClient(options: AdminApiOptions): AdminProvisioner {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  let token: { value: string; expires: number } | undefined;
  const now = options.now ?? Date.now;
  const stateTtlMs = options.stateTtlMs ?? 300_000;
  /** tenant id → the state auth last confirmed, and when. */
  const reported = new Map<string, { suspended: boolean; at: number }>();

  async function call(
    method: string,
    path: string,
    body?: unknown,
    auth = true,
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${await login()}`;
    const res = await doFetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    if (res.status === 401 && auth) token = undefined;
    return { status: res.status, body: parsed };
  }

  function fail(what: string, r: { status: number; body: unknown }): never {
    const detail = (r.body as { detail?: string } | undefined)?.detail ?? String(r.body).slice(0, 200);
    throw new AuthApiError(r.status, `${what}: auth service answered ${r.status}: ${detail}`);
  }

  async function login(): Promise<string> {
    if (token && token.expires > Date.now()) return token.value;
    const r = await call('POST', '/auth/token', { email: options.email, password: options.password }, false);
    if (r.status !== 200) fail('platform admin login', r);
    const b = r.body as { access_token: string; expires_in?: number };
    // Renew a minute before expiry.
    token = { value: b.access_token, expires: Date.now() + Math.max(30, (b.expires_in ?? 300) - 60) * 1000 };
    return token.value;
  }

  return {
    async ensureAdmin({ tenantId, email, password, displayName }) {
      const r = await call('POST', '/auth/users', {
        email,
        password,
        roles: ['admin'],
        tenant_id: tenantId,
        display_name: displayName ?? `${tenantId} administrator`,
      });
      if (r.status === 201) return 'created';
      if (r.status === 409) return 'exists';
      return fail(`create administrator of tenant ${tenantId}`, r);
    },
    async reportTenantState(tenantId, suspended) {
      const last = reported.get(tenantId);
      if (last && last.suspended === suspended && now() - last.at < stateTtlMs) return 'unchanged';
      const r = await call('PUT', `/auth/tenants/${encodeURIComponent(tenantId)}/state`, { suspended });
      if (r.status !== 200) fail(`report the state of tenant ${tenantId}`, r);
      reported.set(tenantId, { suspended, at: now() });
      return 'reported';
    },
    async deactivateUsers(tenantId) {
      let count = 0;
      // Deactivated users drop out of the active=true filter, so page 1 is read until it is empty;
      // a user that cannot be deactivated fails the call (and the reconcile retries).
      for (let round = 0; round < 10_000; round++) {
        const q = new URLSearchParams({ tenant_id: tenantId, active: 'true', page: '1', page_size: '100' });
        const r = await call('GET', `/auth/users?${q.toString()}`);
        if (r.status !== 200) fail(`list users of tenant ${tenantId}`, r);
        const users = ((r.body as { data?: UserView[] }).data ?? []).filter((u) => u.active);
        if (users.length === 0) return count;
        for (const u of users) {
          const p = await call(
            'PATCH',
            `/auth/users/${encodeURIComponent(u.id)}?tenant_id=${encodeURIComponent(tenantId)}`,
            { active: false },
          );
          if (p.status !== 200) fail(`deactivate user ${u.id} of tenant ${tenantId}`, p);
          count++;
        }
      }
      return count;
    },
  };
}
