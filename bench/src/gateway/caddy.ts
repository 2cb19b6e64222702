import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, waitFor } from '@aegis/testing';

/** Caddy (Debian's `caddy`) as the peer gateway: G with `forward_auth` to the AEGIS auth
 * service (how the original AEGIS ran in production), H as a plain reverse proxy. One OS thread of Go
 * code at a time (GOMAXPROCS=1), like the one gateway process and the one nginx worker. */
export function caddyVersion(): string | undefined {
  try {
    return execFileSync('caddy', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export function caddyfile(port: number, backendPort: number, authUrl?: string): string {
  const auth = authUrl
    ? `  forward_auth ${new URL(authUrl).host} {
    uri /auth/forward-auth
    copy_headers X-Aegis-User-Id X-Aegis-Tenant-Id X-Aegis-Roles
  }
`
    : '';
  return `{
  admin off
  auto_https off
}
http://127.0.0.1:${port} {
${auth}  reverse_proxy 127.0.0.1:${backendPort}
}
`;
}

export interface RunningCaddy {
  url: string;
  pid: number;
  config: string;
  stop(): Promise<void>;
}

export async function startCaddy(port: number, backendPort: number, authUrl?: string): Promise<RunningCaddy> {
  const dir = tempDir('caddy');
  const config = caddyfile(port, backendPort, authUrl);
  const file = path.join(dir, 'Caddyfile');
  fs.writeFileSync(file, config);
  const child: ChildProcess = spawn('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], {
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      XDG_DATA_HOME: dir,
      XDG_CONFIG_HOME: dir,
      GOMAXPROCS: '1',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('caddy', async () => (await fetch(`${url}/`)).status > 0, 10_000);
  return {
    url,
    pid: child.pid!,
    config,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
