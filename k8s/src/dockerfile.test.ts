import fs from 'node:fs';
import path from 'node:path';
import { DEPLOYED_SERVICES, entryOf } from './names';
import { REPO_ROOT } from './paths';

/** The Dockerfile cannot be built here (no container engine); its structure is checked instead. */
const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.filter((l) => /^FROM /i.test(l));
const finalStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]));

describe('Dockerfile', () => {
  it('is multi-stage on node 20 bookworm-slim: a build stage and a runtime stage', () => {
    expect(instructions).toContain('ARG NODE_IMAGE=node:20-bookworm-slim');
    expect(stages).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE} AS runtime']);
  });

  it('builds with a native toolchain for better-sqlite3, npm ci and npm run build', () => {
    const build = instructions.slice(0, instructions.indexOf(stages[1])).join('\n');
    expect(build).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(build).toMatch(/npm ci\b/);
    expect(build).toMatch(/npm rebuild better-sqlite3/);
    expect(build).toMatch(/RUN npm run build/);
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
