import type { Resource } from './types';

/** The core resources AEGIS reads and writes, in one namespace. */
export const configMapsResource = (namespace: string): Resource => ({
  group: '',
  version: 'v1',
  plural: 'configmaps',
  namespace,
});
export const secretsResource = (namespace: string): Resource => ({
  group: '',
  version: 'v1',
  plural: 'secrets',
  namespace,
});
export const leasesResource = (namespace: string): Resource => ({
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  namespace,
});
