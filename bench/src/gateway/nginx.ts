import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, waitFor } from '@aegis/testing';

/** nginx as the reference reverse proxy: one worker (like the one gateway process), upstream
 * keep-alive, no access log. */
export function nginxConfig(dir: string, port: number, backendPort: number, workers = 1): string {
  return `worker_processes ${workers};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

export interface RunningNginx {
  url: string;
  pid: number;
  workerPid(): number;
  stop(): Promise<void>;
  config: string;
}

export async function startNginx(port: number, backendPort: number): Promise<RunningNginx> {
  const dir = tempDir('nginx');
  const config = nginxConfig(dir, port, backendPort);
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, config);
  const child: ChildProcess = spawn('nginx', ['-c', file, '-p', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('nginx', async () => (await fetch(`${url}/`)).status > 0, 10_000);
  const workerPid = () => {
    const children = fs
      .readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/);
    return Number(children[0] ?? child.pid);
  };
  return {
    url,
    pid: child.pid!,
    workerPid,
    config,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGQUIT');
      }),
  };
}
