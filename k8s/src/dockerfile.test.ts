import fs from 'node:fs';
import path from 'node:path';
import { DEPLOYED_SERVICES, entryOf } from './names';
import { REPO_ROOT } from './paths';

/** The Dockerfile's structure; `npm run image:build` builds it and `npm run image:smoke` runs what it
 * builds (scripts/image-*.sh). */
const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.filter((l) => /^FROM /i.test(l));
const finalStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]));

describe('Dockerfile', () => {
  it('is multi-stage on node 20 bookworm-slim, the base a build argument: manifests, build and runtime', () => {
    expect(instructions).toContain('ARG NODE_IMAGE=node:20-bookworm-slim');
    expect(instructions).toContain('ARG RUNTIME_IMAGE=${NODE_IMAGE}');
    expect(stages).toEqual([
      'FROM ${NODE_IMAGE} AS manifests',
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${RUNTIME_IMAGE} AS runtime',
    ]);
    // No `# syntax=` directive: it would pull a frontend image from a registry.
    expect(dockerfile).not.toMatch(/^#\s*syntax=/m);
  });

  it('installs dependencies from the manifests alone, before the sources are copied', () => {
    const manifests = instructions.slice(instructions.indexOf(stages[0]), instructions.indexOf(stages[1]));
    expect(manifests.join('\n')).toMatch(
      /find \. -type f ! -name package\.json ! -name package-lock\.json -delete/,
    );
    const build = instructions.slice(instructions.indexOf(stages[1]), instructions.indexOf(stages[2]));
    const at = (re: RegExp) => build.findIndex((l) => re.test(l));
    expect(at(/^COPY --from=manifests /)).toBeLessThan(at(/npm ci\b/));
    expect(at(/npm ci\b/)).toBeLessThan(at(/^COPY \. \.$/));
    expect(at(/^COPY \. \.$/)).toBeLessThan(at(/npm run build;/));
  });

  it('builds with a native toolchain for better-sqlite3, npm ci and npm run build', () => {
    const build = instructions
      .slice(instructions.indexOf(stages[1]), instructions.indexOf(stages[2]))
      .join('\n');
    expect(build).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(build).toMatch(/npm ci\b/);
    expect(build).toMatch(/npm rebuild better-sqlite3/);
    expect(build).toMatch(/npm run build;/);
    expect(build).toMatch(/npm prune --omit=dev/);
  });

  it('runs as an unprivileged numeric user with node as the entry point', () => {
    const user = finalStage.filter((l) => l.startsWith('USER '));
    expect(user).toEqual(['USER 10001:10001']);
    expect(finalStage).toContain('ENTRYPOINT ["node"]');
    expect(finalStage).toContain('CMD ["gateway/dist/main.js"]');
    expect(finalStage.join('\n')).not.toMatch(/npm (ci|install)|apt-get/);
  });

  it('copies only the assembled runtime tree from the build stage', () => {
    const copies = finalStage.filter((l) => l.startsWith('COPY '));
    expect(copies).toEqual(['COPY --from=build --chown=root:root /out/ /app/']);
  });

  it("copies every workspace's package.json and dist, so every component's entry is in the image", () => {
    const assemble = instructions.find((l) => l.includes('mkdir -p /out'))!;
    expect(assemble).toContain(`require('./package.json').workspaces`);
    expect(assemble).toContain('cp -a "$ws/dist" "/out/$ws/"');
    expect(assemble).toContain('cp -a package.json node_modules /out/');
    const workspaces = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }
    ).workspaces;
    const components = ['gateway', 'operator', ...DEPLOYED_SERVICES.map((s) => s.name)] as const;
    // Every deployed component is a workspace (copied by the loop); entrypoints.test.ts checks the rest.
    for (const c of components) expect(workspaces).toContain(entryOf(c).replace(/\/dist\/main\.js$/, ''));
  });

  it('keeps host build output and dependencies out of the build context', () => {
    const ignore = fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
