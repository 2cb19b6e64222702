import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** With AEGIS_REQUIRE_ALL=1 a missing server binary fails the suite instead of skipping it. */
export const requireAll = process.env.AEGIS_REQUIRE_ALL === '1';

/** Finds an executable on PATH or in extra folders; undefined when absent. */
export function findBinary(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  try {
    const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether a suite that needs `what` can run. Returns `describe` when it can; otherwise prints
 * the reason and returns `describe.skip` — or, under AEGIS_REQUIRE_ALL=1, a `describe` whose single
 * test fails with the reason, so CI cannot pass by skipping.
 */
export function describeIf(available: boolean, what: string, reason: string): jest.Describe {
  if (available) return describe;
  if (requireAll) {
    const failing = ((name: string) =>
      describe(name, () => {
        it(`needs ${what}`, () => {
          throw new Error(`${what} is required (AEGIS_REQUIRE_ALL=1) but unavailable: ${reason}`);
        });
      })) as unknown as jest.Describe;
    return failing;
  }

  console.warn(`SKIPPED: suites needing ${what}: ${reason}`);
  return describe.skip;
}
