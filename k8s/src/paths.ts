import path from 'node:path';

/** The repository root (k8s/src/../..): where this package writes its outputs (charts/aegis,
 * k8s/dist/manifests). It reads no other package's files; those packages export what it needs. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
