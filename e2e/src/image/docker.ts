import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The docker client of the smoke run: `DOCKER` (the script's choice of client) against `DOCKER_HOST`
 * (its private engine), both set by scripts/image-smoke.sh. */
export interface Docker {
  /** stdout; with `stderr`, stdout then stderr (`docker logs` writes a container's stderr there). */
  (args: string[], options?: { stderr?: boolean }): Promise<string>;
}

export function dockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  const bin = env.DOCKER || 'docker';
  if (!env.DOCKER_HOST) throw new Error('DOCKER_HOST is not set: run this through `npm run image:smoke`');
  return async (args, options = {}) => {
    try {
      const { stdout, stderr } = await run(bin, args, { maxBuffer: 64 * 1024 * 1024, env });
      return options.stderr ? stdout + stderr : stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`docker ${args.slice(0, 2).join(' ')}: ${(e.stderr || e.message).trim()}`);
    }
  };
}
