import path from 'node:path';

/** The binaries a full control plane needs, by the file name they carry in a binary folder. */
export const CONTROL_PLANE_BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'helm',
] as const;
export type ControlPlaneBinary = (typeof CONTROL_PLANE_BINARIES)[number];

/** Pinned versions, as written in e2e/controlplane/versions.env. */
export interface PinnedVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
  helm: string;
}

/**
 * Files whose content decides the binary folder name, in the order build.sh hashes them. Editing any
 * of them (a version, the script, a wrapper module) yields a new folder, so stale binaries are never
 * reused.
 */
export const BUILD_INPUTS = [
  'build.sh',
  'versions.env',
  'modules/etcd/go.mod',
  'modules/etcd/go.sum',
  'modules/helm/go.mod',
  'modules/helm/go.sum',
  'modules/kubernetes/go.mod',
  'modules/kubernetes/go.sum',
  'modules/kwok/go.mod',
  'modules/kwok/go.sum',
] as const;

/** Parses versions.env (KEY=value lines, # comments). Throws naming the missing key. */
export function parseVersionsEnv(text: string): PinnedVersions {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`versions.env: cannot parse line "${line}"`);
    values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const need = (key: string): string => {
    const value = values.get(key);
    if (!value) throw new Error(`versions.env: ${key} is missing`);
    return value;
  };
  return {
    kubernetes: need('K8S_VERSION'),
    etcd: need('ETCD_VERSION'),
    kwok: need('KWOK_VERSION'),
    helm: need('HELM_VERSION'),
  };
}

/**
 * The text build.sh feeds to sha256sum: one `<sha256 hex>  <relative path>` line per input.
 * `fileHashes` maps each BUILD_INPUTS entry to the sha256 hex digest of its content.
 */
export function inputsListing(fileHashes: ReadonlyMap<string, string>): string {
  return BUILD_INPUTS.map((file) => {
    const hash = fileHashes.get(file);
    if (!hash) throw new Error(`no hash for build input ${file}`);
    return `${hash}  ${file}\n`;
  }).join('');
}

/** The folder name build.sh writes the binaries to: versions, then 12 hex digits of the inputs hash. */
export function binaryFolderName(versions: PinnedVersions, inputsHash: string): string {
  return `${versions.kubernetes}-etcd${versions.etcd}-kwok${versions.kwok}-helm${versions.helm}-${inputsHash.slice(0, 12)}`;
}

/** Root of every AEGIS cache: $AEGIS_CACHE_DIR, else $XDG_CACHE_HOME/aegis, else ~/.cache/aegis. */
export function cacheRoot(env: NodeJS.ProcessEnv, home: string): string {
  if (env.AEGIS_CACHE_DIR) return env.AEGIS_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'aegis');
}

/** Where each binary comes from: the built folder, KUBEBUILDER_ASSETS, or a TEST_ASSET_* variable. */
export type BinarySource = 'built' | 'KUBEBUILDER_ASSETS' | `TEST_ASSET_${string}`;

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

/** The envtest variable naming one binary, e.g. TEST_ASSET_KUBE_APISERVER for kube-apiserver. */
export function testAssetVariable(binary: ControlPlaneBinary): `TEST_ASSET_${string}` {
  return `TEST_ASSET_${binary.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * Picks each binary's path, highest precedence first: TEST_ASSET_<NAME> (envtest's per-binary
 * variables), then KUBEBUILDER_ASSETS (a folder holding the binary), then the folder build.sh fills.
 * A candidate that is not an executable file is passed over; a binary with none is reported missing.
 */
export function resolveBinaries(
  env: NodeJS.ProcessEnv,
  builtDir: string,
  isExecutable: (file: string) => boolean,
): { paths: Partial<Record<ControlPlaneBinary, ResolvedBinary>>; missing: ControlPlaneBinary[] } {
  const paths: Partial<Record<ControlPlaneBinary, ResolvedBinary>> = {};
  const missing: ControlPlaneBinary[] = [];
  for (const binary of CONTROL_PLANE_BINARIES) {
    const variable = testAssetVariable(binary);
    const candidates: ResolvedBinary[] = [];
    const single = env[variable];
    if (single) candidates.push({ path: single, source: variable });
    if (env.KUBEBUILDER_ASSETS) {
      candidates.push({ path: path.join(env.KUBEBUILDER_ASSETS, binary), source: 'KUBEBUILDER_ASSETS' });
    }
    candidates.push({ path: path.join(builtDir, binary), source: 'built' });
    const found = candidates.find((candidate) => isExecutable(candidate.path));
    if (found) paths[binary] = found;
    else missing.push(binary);
  }
  return { paths, missing };
}
