import { parseArgs } from 'node:util';
import { isRole, PLATFORM_TENANT, ROLES, type Role } from '@aegis/common';

export const CLI_USAGE = `Usage: aegis-users <command> [options]

Commands:
  create-user   --email <email> [--password <pw> | --password-stdin] [--roles admin,viewer]
                [--tenant <id>] [--display-name <name>]
  set-roles     --email <email> --roles admin,platform_admin
  set-password  --email <email> [--password <pw> | --password-stdin]
  deactivate    --email <email>
  activate      --email <email>
  list          [--tenant <id>]
  rotate-keys

Roles: ${ROLES.join(', ')}. The tool works on the store directly, so it may grant platform_admin.
Without --password the password is read from stdin (or prompted for on a terminal).
The store is DATABASE_URL (default sqlite:<AEGIS_DATA_DIR>/auth.db, AEGIS_DATA_DIR=.data), as for the auth service.`;

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
  | { command: 'set-roles'; email: string; roles: Role[] }
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
  const roles = (fallback?: string): Role[] => {
    const text = values.roles ?? fallback;
    if (text === undefined) throw new UsageError(`${command} needs --roles`);
    const list = text
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const bad = list.find((r) => !isRole(r));
    if (bad !== undefined || list.length === 0)
      throw new UsageError(`Unknown role: ${bad ?? '(none)'}; use ${ROLES.join(', ')}`);
    return list as Role[];
  };
  switch (command) {
    case 'create-user': {
      return {
        command,
        email: email(),
        password: values.password,
        passwordStdin: values['password-stdin'] ?? false,
        roles: roles('viewer'),
        tenant: values.tenant ?? PLATFORM_TENANT,
        displayName: values['display-name'] ?? null,
      };
    }
    case 'set-roles':
      return { command, email: email(), roles: roles() };
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
