#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { CHART_DIR, writeChart } from './helm/chart-files';
import { REPO_ROOT } from './paths';
import { synthYaml } from './synth';

/**
 * `synth [dir]`: the plain manifests (kubectl apply -f), default values, into k8s/dist/manifests.
 * `chart [dir]`: regenerates charts/aegis from the same source.
 */
function main(argv: string[]): void {
  const [command, target] = argv;
  if (command === 'synth') {
    const dir = path.resolve(target ?? path.join(REPO_ROOT, 'k8s', 'dist', 'manifests'));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'aegis.k8s.yaml');
    fs.writeFileSync(file, synthYaml());
    process.stdout.write(`${file}\n`);
    return;
  }
  if (command === 'chart') {
    const dir = path.resolve(target ?? CHART_DIR);
    const files = writeChart(dir);
    process.stdout.write(`${dir}: ${files.length} files\n`);
    return;
  }
  process.stderr.write('usage: main.ts synth [dir] | chart [dir]\n');
  process.exitCode = 2;
}

main(process.argv.slice(2));
