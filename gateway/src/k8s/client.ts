import { createRestKubeApi, type RestKubeApi } from '@aegis/kube';

/** The gateway's field manager: it writes only its replica Leases. */
export const FIELD_MANAGER = 'aegis-gateway';

/** The gateway's KubeApi: the shared REST client (@aegis/kube), credentials from KUBECONFIG,
 * ~/.kube/config or the in-cluster service account. */
export function createKubeApi(): Promise<RestKubeApi> {
  return createRestKubeApi({ inCluster: false, fieldManager: FIELD_MANAGER, requestTimeoutMs: 30_000 });
}
