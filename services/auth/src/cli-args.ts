import { parseArgs } from 'node:util';
import { isRole, PLATFORM_TENANT, type Role } from '@aegis/common';

export const CLI_USAGE = `Usage: aegis-users <command> [options]

Commands:
  create-user   --email <email> [--password <pw> | --password-stdin] [--roles admin,viewer]
                [--tenant <id>] [--display-name <name>]
  set-password  --email <email> [--password <pw> | --password-stdin]
  deactivate    --email <email>
  activate      --email <email>
  list          [--tenant <id>]
  rotate-keys

Without --password the password is read from stdin (or prompted for on a terminal).
The store is DATABASE_URL (default sqlite:.data/auth.db), as for the auth service.`;

export type CliCommand =
  | {
      command: 'create-user';
      email: string;
      password?: string;
      passwordStdin: boolean;
      roles: Role[];
      tenant: string;
      displayName: string | null;
    }
  | { command: 'set-password'; email: string; password?: string; passwordStdin: boolean }
  | { command: 'deactivate' | 'activate'; email: string }
  | { command: 'list'; tenant?: string }
  | { command: 'rotate-keys' }
  | { command: 'help' };

export class UsageError extends Error {}

/** Parses `aegis-users` arguments (no I/O). */
export function parseCli(argv: string[]): CliCommand {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      roles: { type: 'string' },
      tenant: { type: 'string' },
      'display-name': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
  const email = () => {
    if (!values.email) throw new UsageError(`${command} needs --email`);
    return values.email;
  };
  switch (command) {
    case 'create-user': {
      const roles = (values.roles ?? 'viewer')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const bad = roles.find((r) => !isRole(r));
      if (bad !== undefined || roles.length === 0)
        throw new UsageError(`Unknown role: ${bad ?? '(none)'}; use admin, operator, reviewer, viewer`);
      return {
        command,
        email: email(),
        password: values.password,
        passwordStdin: values['password-stdin'] ?? false,
        roles: roles as Role[],
        tenant: values.tenant ?? PLATFORM_TENANT,
        displayName: values['display-name'] ?? null,
      };
    }
    case 'set-password':
      return {
        command,
        email: email(),
        password: values.password,
        passwordStdin: values['password-stdin'] ?? false,
      };
    case 'deactivate':
    case 'activate':
      return { command, email: email() };
    case 'list':
      return { command, tenant: values.tenant };
    case 'rotate-keys':
      return { command };
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}
