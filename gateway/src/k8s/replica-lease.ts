import {
  CONFIG_APPLIED_ANNOTATION,
  CONFIG_HASH_ANNOTATION,
  CONFIG_REJECTED_ANNOTATION,
  type Logger,
  rejectedAnnotation,
} from '@aegis/common';
import { type KubeApi, type Lease, leasesResource, microTime } from '@aegis/kube';

export const GATEWAY_LEASE_LABELS = {
  'app.kubernetes.io/name': 'aegis',
  'app.kubernetes.io/component': 'gateway',
} as const;

export interface ReplicaLeaseOptions {
  api: Pick<KubeApi, 'apply' | 'delete'>;
  namespace: string;
  replica: string;
  logger: Logger;
  /** The hash of the configuration this replica runs (undefined before the first load). */
  currentHash: () => string | undefined;
  /** What it runs of the per-tenant pieces: their watermark and the pieces it refused (both bounded
   * annotations, whatever the number of tenants). */
  applied?: () => { version?: string; rejected: readonly string[] };
  renewEveryMs?: number;
  leaseDurationSeconds?: number;
}

/** Lease names are DNS subdomains: lower case, at most 253 characters. */
export function leaseName(replica: string): string {
  const safe = replica
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `aegis-gateway-${safe}`.slice(0, 253);
}

/** Tells the operator which configuration this replica runs: a Lease per replica, renewed
 * periodically and at once after a new configuration is loaded, deleted on clean shutdown. The
 * operator counts replicas with a fresh Lease for the tenants' Programmed condition, and reacts only
 * when what a replica reports changes (not to renewals). */
export function createReplicaLease(options: ReplicaLeaseOptions) {
  const name = leaseName(options.replica);
  const leases = leasesResource(options.namespace);
  const every = options.renewEveryMs ?? 5000;
  const duration = options.leaseDurationSeconds ?? 15;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let again = false;
  let failing = false;

  const apply = async (): Promise<void> => {
    const hash = options.currentHash();
    const applied = options.applied?.();
    const annotations: Record<string, string> = hash ? { [CONFIG_HASH_ANNOTATION]: hash } : {};
    if (hash && applied?.version) annotations[CONFIG_APPLIED_ANNOTATION] = applied.version;
    if (hash && applied && applied.rejected.length > 0)
      annotations[CONFIG_REJECTED_ANNOTATION] = rejectedAnnotation(applied.rejected);
    try {
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace: options.namespace,
          labels: { ...GATEWAY_LEASE_LABELS },
          annotations,
        },
        spec: {
          holderIdentity: options.replica,
          leaseDurationSeconds: duration,
          renewTime: microTime(new Date()),
        },
      };
      await options.api.apply(leases, lease);
      if (failing) options.logger.info({ lease: name }, 'Renewed the gateway replica lease again');
      failing = false;
    } catch (err) {
      if (!failing)
        options.logger.warn(
          { lease: name, err: (err as Error).message },
          'Failed to renew the gateway replica lease',
        );
      failing = true;
    }
  };

  /** Renews now; calls made while one is in flight coalesce into one more. */
  const renew = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = apply().finally(() => {
      inFlight = undefined;
      if (again) {
        again = false;
        void renew();
      }
    });
    return inFlight;
  };

  return {
    name,
    renew,
    start(): void {
      void renew();
      timer = setInterval(() => void renew(), every);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await inFlight;
      try {
        await options.api.delete(leases, name);
      } catch (err) {
        options.logger.warn(
          { lease: name, err: (err as Error).message },
          'Failed to delete the gateway replica lease',
        );
      }
    },
  };
}
