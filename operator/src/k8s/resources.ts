import { GROUP, VERSION } from '@aegis/common';
import { PLURAL } from '../api/v1alpha1/crd';
import type { Resource } from './types';

export const tenantsResource = (namespace: string): Resource => ({
  group: GROUP,
  version: VERSION,
  plural: PLURAL,
  namespace,
});
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
