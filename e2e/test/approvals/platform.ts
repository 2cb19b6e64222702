import { startPlatform, type RunningService } from '@aegis/testing';
import { createAndLogin, login, type Client } from '../knowledge-graph/platform';

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

const PASSWORD = 'long-enough-pw-1';

export async function startApprovalsPlatform(env: Record<string, string> = {}): Promise<ApprovalsPlatform> {
  const platform = await startPlatform({
    name: 'approvals-platform',
    services: [{ name: 'approvals', env }],
  });
  try {
    const base = platform.base;
    const admin = await login(base, 'admin@aegis.local', 'aegis-dev-admin');
    const [operator, rita, ron, acme] = await createAndLogin(
      base,
      admin,
      [
        ['operator@aegis.local', ['operator'], undefined],
        ['rita@aegis.local', ['reviewer'], undefined],
        ['ron@aegis.local', ['reviewer'], undefined],
        ['admin@acme.example', ['admin'], 'acme'],
      ],
      PASSWORD,
    );
    const approvals = platform.services.approvals;
    return { base, approvals, admin, operator, rita, ron, acme, stop: platform.stop };
  } catch (err) {
    await platform.stop();
    throw err;
  }
}
