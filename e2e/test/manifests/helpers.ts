import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHART_DIR, type Manifest, type ValuesInput } from '@aegis/k8s';
import { parseAllDocuments } from 'yaml';

/** Helm keeps its cache, config and data in a temp folder, never in the user's home. */
export function helmEnv(): NodeJS.ProcessEnv {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-helm-'));
  return {
    ...process.env,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
  };
}

export function run(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${path.basename(binary)} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Writes values to a temp file for `helm -f`. */
export function valuesFile(values: ValuesInput): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-values-')), 'values.yaml');
  fs.writeFileSync(file, JSON.stringify(values));
  return file;
}

/** `helm template` of charts/aegis into `namespace` with these values. */
export async function helmTemplate(
  helm: string,
  env: NodeJS.ProcessEnv,
  namespace: string,
  values: ValuesInput,
): Promise<string> {
  const { stdout } = await run(
    helm,
    ['template', 'aegis', CHART_DIR, '-n', namespace, '-f', valuesFile(values)],
    env,
  );
  return stdout;
}

/** The objects of a multi-document YAML stream (empty documents dropped). */
export function parseStream(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null && typeof d === 'object');
}

export const keyOf = (m: Manifest): string => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;

/** Objects by kind/namespace/name. */
export function byKey(docs: readonly Manifest[]): Map<string, Manifest> {
  return new Map(docs.map((d) => [keyOf(d), d]));
}
