import type { Logger } from '@aegis/common';
import { sleep } from './backoff';
import { isConflict, type KubeApi, type Lease, type Resource } from './types';

export interface LeaderElectionOptions {
  api: Pick<KubeApi, 'get' | 'create' | 'replace'>;
  /** The Lease resource (coordination.k8s.io/v1 leases in the namespace). */
  resource: Resource;
  leaseName: string;
  identity: string;
  leaseDurationMs: number;
  /** The leader steps down when it could not renew for this long (< leaseDurationMs). */
  renewDeadlineMs: number;
  retryPeriodMs: number;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  now?: () => number;
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(at: number | Date): string {
  return new Date(at).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election on a coordination.k8s.io Lease, with client-go's rules: a candidate takes the
 * lease when it is free, expired (judged by when this process last saw it change, not by the
 * holder's clock) or its own; updates carry the resourceVersion, so two candidates never both win.
 * The leader renews every retry period and steps down when it has not renewed within the renew
 * deadline (it then stops reconciling and competes again). stop() releases the lease so another
 * replica takes over at once.
 */
export class LeaderElector {
  private leading = false;
  private observed: { rv?: string; holder?: string; at: number } | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: LeaderElectionOptions) {
    this.now = options.now ?? Date.now;
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.leading) {
      this.leading = false;
      this.options.onStoppedLeading();
      await this.release();
    }
  }

  /** One attempt to acquire or renew; true when this replica holds the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { api, resource, leaseName, identity } = this.options;
    const now = this.now();
    const durationSeconds = Math.max(1, Math.round(this.options.leaseDurationMs / 1000));
    const existing = await api.get<Lease>(resource, leaseName);
    if (!existing) {
      await api.create<Lease>(resource, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: leaseName, namespace: resource.namespace },
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: durationSeconds,
          acquireTime: microTime(now),
          renewTime: microTime(now),
          leaseTransitions: 0,
        },
      });
      this.observed = { holder: identity, at: now };
      return true;
    }
    const spec = existing.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    let observed = this.observed;
    if (!observed || observed.rv !== existing.metadata.resourceVersion) {
      observed = { rv: existing.metadata.resourceVersion, holder, at: now };
      this.observed = observed;
    }
    const heldByOther = holder !== '' && holder !== identity;
    const observedDuration = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (heldByOther && observed.at + observedDuration > now) return false;
    const updated = await api.replace<Lease>(resource, {
      ...existing,
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: holder === identity && spec.acquireTime ? spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (holder === identity ? 0 : 1),
      },
    });
    this.observed = { rv: updated.metadata.resourceVersion, holder: identity, at: now };
    return true;
  }

  private async attempt(): Promise<boolean> {
    try {
      return await this.tryAcquireOrRenew();
    } catch (err) {
      if (!isConflict(err)) {
        this.options.log.warn(
          { lease: this.options.leaseName, err: (err as Error).message },
          'Failed to acquire or renew the leader lease',
        );
      }
      return false;
    }
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let lastRenew = 0;
    while (!signal.aborted) {
      const ok = await this.attempt();
      if (signal.aborted) break;
      if (ok) {
        lastRenew = this.now();
        if (!this.leading) {
          this.leading = true;
          this.options.log.info(
            { lease: this.options.leaseName, identity: this.options.identity },
            'Acquired leader lease',
          );
          this.options.onStartedLeading();
        }
      } else if (this.leading && this.now() - lastRenew > this.options.renewDeadlineMs) {
        this.leading = false;
        this.options.log.warn(
          { lease: this.options.leaseName, identity: this.options.identity },
          'Lost leader lease; stopped reconciling',
        );
        this.options.onStoppedLeading();
      }
      // Candidates retry with jitter so that they do not collide on every round.
      const wait = this.leading
        ? this.options.retryPeriodMs
        : this.options.retryPeriodMs * (1 + Math.random() * 0.2);
      await sleep(wait, signal);
    }
  }

  private async release(): Promise<void> {
    const { api, resource, leaseName, identity } = this.options;
    try {
      const existing = await api.get<Lease>(resource, leaseName);
      if (!existing || existing.spec?.holderIdentity !== identity) return;
      const now = this.now();
      await api.replace<Lease>(resource, {
        ...existing,
        spec: { ...existing.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(now) },
      });
      this.options.log.info({ lease: leaseName, identity }, 'Released leader lease');
    } catch (err) {
      this.options.log.warn(
        { lease: leaseName, err: (err as Error).message },
        'Failed to release the leader lease',
      );
    }
  }
}
