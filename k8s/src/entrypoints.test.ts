/* eslint-disable @typescript-eslint/no-explicit-any -- the synthesised manifests are untyped JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { chartFiles } from './helm/chart-files';
import { APP_DIR } from './names';
import { REPO_ROOT } from './paths';
import { synthManifests } from './synth';

/**
 * kwok fakes pods, so a Deployment whose command names a file missing from the image looks healthy in
 * the e2e cluster and crash-loops on a real one. This checks what the image would run: every container
 * of the one AEGIS image runs `node <entry>`; the entry must be built here (`npm run build`, which runs
 * before `npm test`) and lie in a workspace the Dockerfile's runtime stage copies (dockerfile.test.ts
 * checks that it copies every workspace's dist/).
 */
const workspaces = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }
).workspaces;

interface Command {
  owner: string;
  entry: string;
}

/** `node <entry>` of every container of a pod template that runs the AEGIS image. */
function commandsOf(docs: any[]): Command[] {
  return docs
    .filter((d) => d && (d.kind === 'Deployment' || d.kind === 'StatefulSet'))
    .flatMap((d) =>
      [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers]
        .filter((c: any) => c.workingDir === APP_DIR || /\/aegis:|^aegis:|aegis\.image/.test(String(c.image)))
        .map((c: any) => ({ owner: `${d.kind}/${d.metadata.name}/${c.name}`, entry: String(c.args?.[0]) })),
    );
}

function expectInImage({ owner, entry }: Command): void {
  const workspace = workspaces.find((ws) => entry.startsWith(`${ws}/dist/`));
  expect({ owner, entry, copiedByDockerfile: workspace !== undefined }).toEqual({
    owner,
    entry,
    copiedByDockerfile: true,
  });
  expect({
    owner,
    entry,
    builtFromSource: fs.existsSync(path.join(REPO_ROOT, workspace!, 'src', 'main.ts')),
  }).toEqual({ owner, entry, builtFromSource: true });
  expect({ owner, entry, built: fs.existsSync(path.join(REPO_ROOT, entry)) }).toEqual({
    owner,
    entry,
    built: true, // run `npm run build` first
  });
}

describe('the entry point of every container', () => {
  it('is produced by the build and copied into the image: plain manifests', () => {
    const commands = commandsOf(synthManifests());
    expect(commands.map((c) => c.owner)).toEqual(
      expect.arrayContaining(['Deployment/aegis-gateway/gateway', 'Deployment/aegis-auth/auth']),
    );
    commands.forEach(expectInImage);
  });

  it('is produced by the build and copied into the image: the Helm chart', () => {
    const docs = [...chartFiles()]
      .filter(([file]) => file.startsWith('templates/') && file.endsWith('.yaml'))
      // Template lines ({{ ... }}) are dropped; the commands are plain YAML in the templates.
      .flatMap(([, text]) =>
        parseAllDocuments(
          text
            .split('\n')
            .filter((l) => !l.trimStart().startsWith('{{'))
            .map((l) => l.replace(/\{\{[^}]*\}\}/g, 'x'))
            .join('\n'),
        ).map((d) => d.toJS()),
      );
    const commands = commandsOf(docs);
    expect(commands.length).toBe(commandsOf(synthManifests()).length);
    commands.forEach(expectInImage);
  });
});
