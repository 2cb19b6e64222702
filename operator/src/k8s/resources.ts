import { GROUP, VERSION } from '@aegis/common';
import type { Resource } from '@aegis/kube';
import { PLURAL } from '../api/v1alpha1/crd';

export { configMapsResource, leasesResource, secretsResource } from '@aegis/kube';

export const tenantsResource = (namespace: string): Resource => ({
  group: GROUP,
  version: VERSION,
  plural: PLURAL,
  namespace,
});
