import { execFileSync } from 'node:child_process';
import { findBinary } from './skip';

/** The benchmark and the drills need nginx, wrk and redis-server from Debian: installed when missing
 * and running as root (as on these machines), otherwise a clear message. */
function aptInstall(pkgs: readonly string[]): void {
  console.log(`installing ${pkgs.join(' ')} (Debian packages)`);
  execFileSync(
    'sh',
    ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs.join(' ')}`],
    { stdio: 'inherit' },
  );
}

/** A tool a benchmark can do without (it then skips that part and says why): installed from Debian
 * when missing and running as root; otherwise, or when the install fails, the reason it is missing. */
export function optionalTool(binary: string, pkg = binary): { ok: true } | { ok: false; reason: string } {
  if (findBinary(binary, ['/usr/sbin'])) return { ok: true };
  if (process.getuid?.() !== 0)
    return {
      ok: false,
      reason: `${binary} is not installed (Debian package ${pkg}; not root, not installed)`,
    };
  try {
    aptInstall([pkg]);
  } catch (err) {
    return {
      ok: false,
      reason: `${binary} is not installed and apt-get install ${pkg} failed: ${String(err)}`,
    };
  }
  return findBinary(binary, ['/usr/sbin'])
    ? { ok: true }
    : { ok: false, reason: `${binary} is not installed (apt-get install ${pkg} did not provide it)` };
}

export function ensureTools(
  binaries: readonly ('nginx' | 'wrk' | 'redis-server')[] = ['nginx', 'wrk', 'redis-server'],
): void {
  const need = binaries.filter((b) => !findBinary(b, ['/usr/sbin']));
  if (need.length === 0) return;
  const pkgs = need.map((b) => (b === 'nginx' ? 'nginx-light' : b));
  if (process.getuid?.() !== 0)
    throw new Error(`missing ${need.join(', ')}: install the Debian packages ${pkgs.join(' ')}`);
  aptInstall(pkgs);
}
