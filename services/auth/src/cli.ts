#!/usr/bin/env node
import readline from 'node:readline';
import { AppError, ConfigError, createLogger, openStore, type Store } from '@aegis/common';
import { CLI_USAGE, parseCli, UsageError, type CliCommand } from './cli-args';
import { loadConfig, type Config } from './config';
import { findUserByEmail, listUsers } from './store/users';
import { createAuthCore, migrateAuthStore } from './wiring';

/** `aegis-users`: account administration straight against the auth store (same DATABASE_URL). */

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const writable = rl as unknown as { _writeToOutput: (s: string) => void };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    writable._writeToOutput = () => undefined; // do not echo the password
  });
}

async function password(cmd: { password?: string; passwordStdin: boolean }): Promise<string> {
  if (cmd.password !== undefined) return cmd.password;
  const pw = cmd.passwordStdin || !process.stdin.isTTY ? await readStdin() : await prompt('Password: ');
  if (pw.length < 8) throw new UsageError('The password must have at least 8 characters');
  return pw;
}

async function run(
  cmd: Exclude<CliCommand, { command: 'help' }>,
  config: Readonly<Config>,
  store: Store,
  out: (line: string) => void,
): Promise<void> {
  const logger = createLogger({ service: 'aegis-users', level: 'warn' });
  const core = createAuthCore({ store, config, logger, pollRevocations: false });
  try {
    const byEmail = async (email: string) => {
      const user = await findUserByEmail(store, email);
      if (!user) throw new UsageError(`No user with email ${email}`);
      return user;
    };
    switch (cmd.command) {
      case 'create-user': {
        const user = await core.accounts.createUser({
          email: cmd.email,
          password: await password(cmd),
          displayName: cmd.displayName,
          roles: cmd.roles,
          tenantId: cmd.tenant,
        });
        out(
          `Created user ${user.email} (${user.id}) in tenant ${user.tenantId} with roles ${user.roles.join(',')}`,
        );
        return;
      }
      case 'set-roles': {
        const user = await byEmail(cmd.email);
        const updated = await core.accounts.updateUser(user.tenantId, user.id, { roles: cmd.roles });
        out(
          `Set the roles of ${updated.email} to ${updated.roles.join(',')}; its earlier tokens are refused`,
        );
        return;
      }
      case 'set-password': {
        const user = await byEmail(cmd.email);
        await core.accounts.updateUser(user.tenantId, user.id, { password: await password(cmd) });
        out(`Set the password of ${user.email}; its earlier tokens are refused`);
        return;
      }
      case 'deactivate':
      case 'activate': {
        const user = await byEmail(cmd.email);
        await core.accounts.updateUser(user.tenantId, user.id, { active: cmd.command === 'activate' });
        out(`${cmd.command === 'activate' ? 'Activated' : 'Deactivated'} ${user.email}`);
        return;
      }
      case 'list': {
        const { users } = await listUsers(
          store,
          { tenantId: cmd.tenant },
          { limit: 10_000, offset: 0, sortBy: 'email', sortDir: 'asc' },
        );
        for (const u of users) {
          out([u.email, u.id, u.tenantId, u.roles.join(','), u.active ? 'active' : 'inactive'].join('\t'));
        }
        return;
      }
      case 'rotate-keys': {
        const r = await core.accounts.rotateKeys();
        out(`New signing key ${r.kid} signs from ${new Date(r.activatesAt).toISOString()}`);
        for (const k of r.retired)
          out(`Key ${k.kid} stays published until ${new Date(k.retiresAt).toISOString()}`);
        return;
      }
    }
  } finally {
    core.close();
  }
}

async function main(): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${CLI_USAGE}\n`);
    return 2;
  }
  if (cmd.command === 'help') {
    process.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  let store: Store | undefined;
  try {
    const config = loadConfig({ ...process.env, BOOTSTRAP_ADMIN_ENABLED: 'false' });
    store = await openStore({ url: config.databaseUrl });
    await migrateAuthStore(store);
    await run(cmd, config, store, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof AppError) {
      process.stderr.write(`${typeof err.detail === 'string' ? err.detail : err.message}\n`);
      return 1;
    }
    process.stderr.write(`aegis-users: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}

void main().then((code) => {
  process.exitCode = code;
});
