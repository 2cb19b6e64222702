import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from './objects';

/** The repository root (k8s/src/.. /..), where the operator's generated config lives. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const OPERATOR_CRD_DIR = path.join(REPO_ROOT, 'operator', 'config', 'crd');
export const OPERATOR_RBAC_DIR = path.join(REPO_ROOT, 'operator', 'config', 'rbac');

/** Every YAML document of every .yaml/.yml file in `dir`, files in name order. Never hand-copied:
 * the operator generates these from its TypeScript source. */
export function readManifests(dir: string): Manifest[] {
  if (!fs.existsSync(dir)) {
    throw new Error(`${path.relative(REPO_ROOT, dir)} does not exist: generate the operator's config first`);
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const docs: Manifest[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as Manifest | null;
      if (value && typeof value === 'object') docs.push(value);
    }
  }
  if (docs.length === 0) throw new Error(`${path.relative(REPO_ROOT, dir)} holds no manifests`);
  return docs;
}

/** The AegisTenant CustomResourceDefinition(s) the operator generated. */
export function readCrds(dir = OPERATOR_CRD_DIR): Manifest[] {
  const crds = readManifests(dir).filter((d) => d.kind === 'CustomResourceDefinition');
  if (crds.length === 0) throw new Error(`no CustomResourceDefinition in ${dir}`);
  return crds;
}

/** The operator's RBAC (ServiceAccount, Roles, ClusterRoles and their bindings) as generated. */
export function readOperatorRbac(dir = OPERATOR_RBAC_DIR): Manifest[] {
  return readManifests(dir);
}
