/** The few Kubernetes operations the gateway needs, behind an interface so the logic around them
 * tests without a cluster (the real implementation is in client.ts). */

export interface ConfigMapSnapshot {
  resourceVersion: string;
  data: Record<string, string>;
  annotations: Record<string, string>;
}

export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED'; configMap: ConfigMapSnapshot }
  | { type: 'DELETED'; resourceVersion: string }
  | { type: 'BOOKMARK'; resourceVersion: string }
  /** The API server said the resourceVersion is too old (410 Gone): relist. */
  | { type: 'EXPIRED' };

export interface WatchHandle {
  stop(): void;
}

export interface LeaseSpec {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  holderIdentity: string;
  leaseDurationSeconds: number;
  renewTime: Date;
}

export interface GatewayKubeApi {
  /** The ConfigMap, or undefined when it does not exist; the list's resourceVersion either way. */
  getConfigMap(
    namespace: string,
    name: string,
  ): Promise<{ configMap?: ConfigMapSnapshot; resourceVersion: string }>;
  /** Watches one ConfigMap from `resourceVersion`; `done` is called once when the watch ends for any
   * reason (error or server-side close). */
  watchConfigMap(
    namespace: string,
    name: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    done: (err?: Error) => void,
  ): Promise<WatchHandle>;
  applyLease(namespace: string, lease: LeaseSpec): Promise<void>;
  deleteLease(namespace: string, name: string): Promise<void>;
}
