import fs from 'node:fs';
import path from 'node:path';
import { chartTemplateObjects, imageContainers } from './image-containers';
import type { Manifest } from './objects';
import { REPO_ROOT } from './paths';
import { synthManifests } from './synth';
import { entryOf } from './names';
import { SERVICES } from '@aegis/common';

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
const commandsOf = (docs: readonly Manifest[]): Command[] =>
  imageContainers(docs).map(({ owner, entry }) => ({ owner, entry }));

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
    const docs = chartTemplateObjects();
    const commands = commandsOf(docs);
    expect(commands.length).toBe(commandsOf(synthManifests()).length);
    commands.forEach(expectInImage);
  });
});

describe('the workloads of the manifests and of the chart', () => {
  // From the service registry: the gateway, the operator and every implemented service; a planned
  // service (no code yet) gets no pod, so no entry point that does not exist is ever started.
  const expected = [
    entryOf('gateway'),
    entryOf('operator'),
    ...SERVICES.filter((s) => s.implemented).map((s) => s.entry),
  ].sort();
  const planned: string[] = SERVICES.filter((s) => !s.implemented).map((s) => s.entry);

  it.each([
    ['plain manifests', () => synthManifests()],
    ['Helm chart', () => chartTemplateObjects()],
  ])('%s: run exactly the implemented components, each once', (_what, docs) => {
    const entries = imageContainers(docs()).map((c) => c.entry);
    expect(entries.sort()).toEqual(expected);
    expect(entries.filter((e) => planned.includes(e))).toEqual([]);
  });
});
