import { execFileSync } from 'node:child_process';
import { findBinary } from './skip';

/** The benchmark and the drills need nginx, wrk and redis-server from Debian: installed when missing
 * and running as root (as on these machines), otherwise a clear message. */
export function ensureTools(
  binaries: readonly ('nginx' | 'wrk' | 'redis-server')[] = ['nginx', 'wrk', 'redis-server'],
): void {
  const need = binaries.filter((b) => !findBinary(b, ['/usr/sbin']));
  if (need.length === 0) return;
  const pkgs = need.map((b) => (b === 'nginx' ? 'nginx-light' : b));
  if (process.getuid?.() !== 0)
    throw new Error(`missing ${need.join(', ')}: install the Debian packages ${pkgs.join(' ')}`);
  console.log(`installing ${pkgs.join(' ')} (Debian packages)`);
  execFileSync(
    'sh',
    ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs.join(' ')}`],
    {
      stdio: 'inherit',
    },
  );
}
