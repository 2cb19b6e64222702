import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY, SERVICES } from './index';

/** The hand-kept workspace lists are checked against the registry: a service added to one and not the
 * others, or a service folder the registry does not know, fails here. */
const root = path.resolve(__dirname, '..', '..', '..', '..');
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;

const rootPackage = readJson<{ workspaces: string[] }>('package.json');
const tsconfig = readJson<{ compilerOptions: { paths: Record<string, string[]> } }>('tsconfig.json');
const buildConfig = readJson<{ references: { path: string }[] }>('tsconfig.build.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest's config is CommonJS
const jestConfig = require(path.join(root, 'jest.config.js')) as { moduleNameMapper: Record<string, string> };

const implemented = SERVICES.filter((s) => s.implemented);
const deployables = [...implemented, GATEWAY];

describe('the workspace lists against the service registry', () => {
  it('has a folder under services/ for every implemented service and for nothing else', () => {
    const folders = fs
      .readdirSync(path.join(root, 'services'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `services/${d.name}`);
    expect(folders.sort()).toEqual(implemented.map((s) => s.workspace).sort());
  });

  it.each(deployables.map((d) => [d.name, d] as const))(
    '%s: workspace, package name, main.ts, tsconfig path, build reference and jest mapping',
    (_name, d) => {
      expect(rootPackage.workspaces).toContain(d.workspace);
      expect(readJson<{ name: string }>(`${d.workspace}/package.json`).name).toBe(d.packageName);
      expect(fs.existsSync(path.join(root, d.workspace, 'src', 'main.ts'))).toBe(true);
      expect(d.entry).toBe(`${d.workspace}/dist/main.js`);
      expect(tsconfig.compilerOptions.paths[d.packageName]).toEqual([`${d.workspace}/src/index.ts`]);
      expect(buildConfig.references).toContainEqual({ path: d.workspace });
      expect(jestConfig.moduleNameMapper[`^${d.packageName}$`]).toBe(`<rootDir>/${d.workspace}/src/index.ts`);
    },
  );

  it('has no planned service in a workspace list (its folder does not exist yet)', () => {
    for (const s of SERVICES.filter((x) => !x.implemented)) {
      expect(rootPackage.workspaces).not.toContain(s.workspace);
      expect(tsconfig.compilerOptions.paths[s.packageName]).toBeUndefined();
      expect(buildConfig.references).not.toContainEqual({ path: s.workspace });
    }
  });
});
