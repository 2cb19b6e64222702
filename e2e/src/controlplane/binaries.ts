import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeIf } from '@aegis/testing';
import {
  BUILD_INPUTS,
  binaryFolderName,
  cacheRoot,
  type ControlPlaneBinary,
  inputsListing,
  parseVersionsEnv,
  type PinnedVersions,
  type ResolvedBinary,
  resolveBinaries,
} from './paths';

/** e2e/controlplane: the build script, versions.env and the wrapper Go modules. */
export const CONTROL_PLANE_SOURCE_DIR = path.resolve(__dirname, '..', '..', 'controlplane');

/** The binaries a full control plane (etcd, API server, controllers, scheduler, kwok, kubectl) needs. */
export const FULL_CONTROL_PLANE: readonly ControlPlaneBinary[] = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'kubectl',
];

/** What envtest needs: etcd and the API server (plus kubectl for people). */
export const API_SERVER_ONLY: readonly ControlPlaneBinary[] = ['etcd', 'kube-apiserver', 'kubectl'];

export interface ControlPlaneBinaries {
  /** True when every requested binary was found. */
  available: boolean;
  /** Why not, when unavailable: which binaries are missing and how to build them. */
  reason?: string;
  /** The folder build.sh writes to (whether or not it exists yet). */
  builtDir: string;
  /** The pinned versions build.sh builds. */
  versions: PinnedVersions;
  /** Path of each binary found, by name; absent names were not found. */
  paths: Partial<Record<ControlPlaneBinary, string>>;
  /** Where each found binary came from (built folder, KUBEBUILDER_ASSETS or TEST_ASSET_*). */
  sources: Partial<Record<ControlPlaneBinary, ResolvedBinary['source']>>;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Pinned versions from e2e/controlplane/versions.env. */
export function pinnedVersions(sourceDir = CONTROL_PLANE_SOURCE_DIR): PinnedVersions {
  return parseVersionsEnv(fs.readFileSync(path.join(sourceDir, 'versions.env'), 'utf8'));
}

/** The folder build.sh writes the binaries to; the same computation as `build.sh --print-dir`. */
export function builtBinaryDir(
  env: NodeJS.ProcessEnv = process.env,
  sourceDir = CONTROL_PLANE_SOURCE_DIR,
): string {
  const hashes = new Map<string, string>();
  for (const file of BUILD_INPUTS) hashes.set(file, sha256(fs.readFileSync(path.join(sourceDir, file))));
  const folder = binaryFolderName(pinnedVersions(sourceDir), sha256(inputsListing(hashes)));
  return path.join(cacheRoot(env, os.homedir()), 'k8s-bin', folder);
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the control-plane binaries without building anything: TEST_ASSET_* variables first, then
 * KUBEBUILDER_ASSETS, then the folder e2e/controlplane/build.sh fills. Suites use it with describeIf.
 */
export function controlPlaneBinaries(
  needs: readonly ControlPlaneBinary[] = FULL_CONTROL_PLANE,
  env: NodeJS.ProcessEnv = process.env,
): ControlPlaneBinaries {
  const builtDir = builtBinaryDir(env);
  const resolved = resolveBinaries(env, builtDir, isExecutableFile);
  const paths: ControlPlaneBinaries['paths'] = {};
  const sources: ControlPlaneBinaries['sources'] = {};
  for (const [name, found] of Object.entries(resolved.paths) as [ControlPlaneBinary, ResolvedBinary][]) {
    paths[name] = found.path;
    sources[name] = found.source;
  }
  const missing = needs.filter((name) => resolved.missing.includes(name));
  const result: ControlPlaneBinaries = {
    available: missing.length === 0,
    builtDir,
    versions: pinnedVersions(),
    paths,
    sources,
  };
  if (missing.length > 0) {
    result.reason =
      `missing ${missing.join(', ')} (looked in ${builtDir}` +
      `${env.KUBEBUILDER_ASSETS ? `, KUBEBUILDER_ASSETS=${env.KUBEBUILDER_ASSETS}` : ''} and TEST_ASSET_*); ` +
      'build them with e2e/controlplane/build.sh';
  }
  return result;
}

/** The binaries `needs` names, with a `describe` that runs only when every one was found; otherwise
 * the suite is skipped with the reason (and fails under AEGIS_REQUIRE_ALL=1). */
export function requireBinaries(
  needs: readonly ControlPlaneBinary[] = FULL_CONTROL_PLANE,
  what = 'the Kubernetes control-plane binaries (e2e/controlplane/build.sh)',
): ControlPlaneBinaries & { describe: jest.Describe } {
  const binaries = controlPlaneBinaries(needs);
  return { ...binaries, describe: describeIf(binaries.available, what, binaries.reason ?? '') };
}
