import { SERVICES } from '@aegis/common';
import {
  startAuthService,
  startGateway,
  startLocalService,
  startedSet,
  tempDir,
  writeGatewayFiles,
  type RunningService,
} from '@aegis/testing';
import { login, type Client } from '../knowledge-graph/platform';

/** Auth, approvals and the gateway as processes on free ports (SQLite in a temp dir), with the local
 * platform admin, two reviewers and an operator of `default`, and an admin of `acme`. */
export interface ApprovalsPlatform {
  base: string;
  approvals: RunningService;
  admin: Client;
  operator: Client;
  rita: Client;
  ron: Client;
  acme: Client;
  stop(): Promise<void>;
}

const unlimited = { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } };
const APPROVALS_ROUTES = SERVICES.find((s) => s.name === 'approvals')!.routes;
const PASSWORD = 'long-enough-pw-1';

export async function startApprovalsPlatform(env: Record<string, string> = {}): Promise<ApprovalsPlatform> {
  const dir = tempDir('approvals-platform');
  const running = startedSet();
  try {
    const auth = running.started(await startAuthService(dir));
    const approvals = running.started(
      await startLocalService('approvals', { dataDir: dir, authUrl: auth.url, env, timeoutMs: 60_000 }),
    );
    const files = writeGatewayFiles({
      services: { auth: auth.url, approvals: approvals.url },
      routes: [
        { prefix: '/api/v1/auth', service: 'auth' },
        ...APPROVALS_ROUTES.map((r) => ({ prefix: r.prefix, service: 'approvals' })),
      ],
      tenants: ['default', 'acme'].map((name) => ({ name, spec: unlimited })),
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
    const base = gateway.url;
    const admin = await login(base, 'admin@aegis.local', 'aegis-dev-admin');
    const users = [
      ['operator@aegis.local', ['operator'], undefined],
      ['rita@aegis.local', ['reviewer'], undefined],
      ['ron@aegis.local', ['reviewer'], undefined],
      ['admin@acme.example', ['admin'], 'acme'],
    ] as const;
    for (const [email, roles, tenant] of users) {
      const r = await admin.call('POST', '/api/v1/auth/users', {
        email,
        password: PASSWORD,
        roles,
        tenant_id: tenant,
      });
      if (r.status !== 201) throw new Error(`creating ${email} answered ${r.status}`);
    }
    const [operator, rita, ron, acme] = await Promise.all(
      users.map(([email]) => login(base, email, PASSWORD)),
    );
    return { base, approvals, admin, operator, rita, ron, acme, stop: () => running.stopAll() };
  } catch (err) {
    await running.stopAll();
    throw err;
  }
}
