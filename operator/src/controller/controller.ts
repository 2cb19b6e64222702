import type { Logger } from '@aegis/common';
import type { AdminProvisioner } from '../auth/admin-client';
import { Informer } from '@aegis/kube';
import { LeaderElector } from '@aegis/kube';
import { configMapsResource, leasesResource, tenantsResource } from '../k8s/resources';
import type { ConfigMap, KubeApi, KubeObject, Lease } from '@aegis/kube';
import type { OperatorMetrics } from '../metrics';
import { EventRecorder } from '../k8s/events';
import { type GatewayReplica, replicaOf } from './aegistenant/conditions';
import {
  FIELD_MANAGER,
  GATEWAY_LEASE_SELECTOR,
  MANAGED_SELECTOR,
  type TenantObject,
} from './aegistenant/desired';
import { TenantReconciler } from './aegistenant/reconcile';
import type { RoutesDocument } from './aegistenant/routes';
import { WorkQueue } from './queue';

export interface ControllerSettings {
  namespace: string;
  gatewayConfigMap: string;
  identity: string;
  leaderElection: {
    enabled: boolean;
    leaseName: string;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
  };
  workers: number;
  resyncMs: number;
  /** Largest per-tenant ConfigMap written (bytes); the API server's limit is 1 MiB. */
  maxTenantConfigBytes?: number;
  watchTimeoutSeconds: number;
  watchIdleMs: number;
  backoff: { baseMs: number; maxMs: number };
}

export interface ControllerDeps {
  api: KubeApi;
  settings: ControllerSettings;
  routes: RoutesDocument;
  admin?: AdminProvisioner;
  log: Logger;
  metrics: OperatorMetrics;
}

/** The queue key of the shared gateway ConfigMap (tenant names cannot contain '/'). */
export const GATEWAY_KEY = '/gateway-config';

/**
 * Wires the watch caches, the work queue, the reconciler and leader election. Caches run on every
 * replica (a new leader starts warm); only the leader processes the queue.
 */
export class TenantController {
  readonly tenants: Informer<TenantObject>;
  readonly configMaps: Informer<ConfigMap>;
  readonly leases: Informer<Lease>;
  readonly queue: WorkQueue;
  readonly reconciler: TenantReconciler;
  readonly events: EventRecorder;
  /** Running gateway replicas as last seen, by Lease name; and the timer for the next expiry. */
  private readonly replicas = new Map<string, GatewayReplica>();
  private expiryTimer: NodeJS.Timeout | undefined;
  /** Whether a running gateway replica predates per-tenant pieces (see syncGatewayConfig). */
  private legacyGateways = false;
  private readonly elector: LeaderElector | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private leading = false;

  constructor(private readonly deps: ControllerDeps) {
    const { api, settings, log, metrics } = deps;
    const common = {
      api,
      watchTimeoutSeconds: settings.watchTimeoutSeconds,
      idleTimeoutMs: settings.watchIdleMs,
      resyncMs: 0,
      backoff: { baseMs: settings.backoff.baseMs, maxMs: settings.backoff.maxMs },
      log,
    };
    const restarts = (informer: string) => (reason: string) =>
      metrics.watchRestarts.inc({ informer, reason });
    this.tenants = new Informer<TenantObject>({
      ...common,
      name: 'aegistenants',
      resource: tenantsResource(settings.namespace),
      onUpsert: (t, old) => this.tenantChanged(t, old),
      onDelete: (t) => {
        this.tenantChanged(t, t);
        this.queue.forget(t.metadata.name);
      },
      onRestart: restarts('aegistenants'),
    });
    this.configMaps = new Informer<ConfigMap>({
      ...common,
      name: 'configmaps',
      resource: configMapsResource(settings.namespace),
      labelSelector: MANAGED_SELECTOR,
      onUpsert: (cm) => this.configMapChanged(cm),
      onDelete: (cm) => this.configMapChanged(cm),
      onRestart: restarts('configmaps'),
    });
    this.leases = new Informer<Lease>({
      ...common,
      name: 'gateway-leases',
      resource: leasesResource(settings.namespace),
      labelSelector: GATEWAY_LEASE_SELECTOR,
      onUpsert: (lease) => this.replicaChanged(lease.metadata.name, replicaOf(lease)),
      onDelete: (lease) => this.replicaChanged(lease.metadata.name, undefined),
      onRestart: restarts('gateway-leases'),
    });
    this.events = new EventRecorder({
      api,
      namespace: settings.namespace,
      component: FIELD_MANAGER,
      instance: settings.identity,
      log,
    });
    this.reconciler = new TenantReconciler({
      api,
      events: this.events,
      maxTenantConfigBytes: settings.maxTenantConfigBytes,
      namespace: settings.namespace,
      gatewayConfigMapName: settings.gatewayConfigMap,
      tenants: this.tenants,
      configMaps: this.configMaps,
      leases: this.leases,
      routes: deps.routes,
      admin: deps.admin,
      log,
    });
    this.queue = new WorkQueue({
      concurrency: settings.workers,
      backoff: { baseMs: settings.backoff.baseMs, maxMs: settings.backoff.maxMs },
      process: (key) =>
        key === GATEWAY_KEY
          ? this.reconciler.syncGatewayConfig().then(() => ({}))
          : this.reconciler.reconcile(key),
      onDepth: (depth) => metrics.queueDepth.set(depth),
      onDone: (key, outcome, error, durationMs) => {
        metrics.reconciles.inc({ outcome });
        metrics.tenantsNotProgrammed.set(this.reconciler.index.pendingCount());
        metrics.reconcileDuration.observe({ outcome }, (durationMs ?? 0) / 1000);
        if (outcome === 'error') {
          const reason = (error as { reason?: string }).reason ?? 'Error';
          metrics.reconcileErrors.inc({ reason });
          log.warn({ key, reason, err: (error as Error).message }, 'Reconcile failed; retrying with backoff');
        }
      },
    });
    if (settings.leaderElection.enabled) {
      this.elector = new LeaderElector({
        api,
        resource: leasesResource(settings.namespace),
        leaseName: settings.leaderElection.leaseName,
        identity: settings.identity,
        leaseDurationMs: settings.leaderElection.leaseDurationMs,
        renewDeadlineMs: settings.leaderElection.renewDeadlineMs,
        retryPeriodMs: settings.leaderElection.retryPeriodMs,
        log,
        onStartedLeading: () => this.startLeading(),
        onStoppedLeading: () => this.stopLeading(),
      });
    }
  }

  private enqueue(name: string): void {
    this.queue.add(name);
  }

  private enqueueAll(): void {
    this.queue.add(GATEWAY_KEY);
    for (const t of this.tenants.list()) this.queue.add(t.metadata.name);
  }

  /** A tenant changed: reconcile it, and the other tenants claiming the same id (the conflict
   * between them may have been resolved either way). Our own status writes change nothing else. */
  private tenantChanged(t: TenantObject, old: TenantObject | undefined): void {
    this.enqueue(t.metadata.name);
    // A gateway from before per-tenant pieces reads every tenant from the global ConfigMap.
    if (this.legacyGateways) this.queue.add(GATEWAY_KEY);
    if (
      old &&
      old !== t &&
      old.metadata.generation === t.metadata.generation &&
      !t.metadata.deletionTimestamp
    )
      return;
    const ids = new Set([t, old].filter((x) => x !== undefined).map((x) => this.reconciler.tenantIdOf(x)));
    for (const other of this.tenants.list()) {
      if (other.metadata.name === t.metadata.name) continue;
      if (ids.has(this.reconciler.tenantIdOf(other))) this.enqueue(other.metadata.name);
    }
  }

  /**
   * A gateway replica's Lease changed. A renewal that changes nothing the replica reports (the same
   * watermark, the same refusals) enqueues nothing; otherwise only the tenants the change concerns
   * are enqueued (DeliveryIndex.affected). Expiry produces no event, so one timer watches for it.
   */
  private replicaChanged(lease: string, next: GatewayReplica | undefined): void {
    const now = Date.now();
    const running = next && next.expiresAt > now ? next : undefined;
    const before = this.replicas.get(lease);
    const sizeBefore = this.replicas.size;
    if (running) this.replicas.set(lease, running);
    else this.replicas.delete(lease);
    this.scheduleExpiry();
    const legacy = [...this.replicas.values()].some((r) => r.hash !== undefined && r.applied === undefined);
    if (legacy !== this.legacyGateways) {
      this.legacyGateways = legacy;
      this.queue.add(GATEWAY_KEY);
    }
    if (before && running && sameReport(before, running)) return;
    if (!before && !running) return;
    if (sizeBefore === 0 || this.replicas.size === 0) {
      // No replica before or none now: every tenant's Programmed changes.
      for (const name of this.reconciler.index.all()) this.enqueue(name);
      return;
    }
    for (const name of this.reconciler.index.affected(before, running)) this.enqueue(name);
  }

  private scheduleExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (this.replicas.size === 0) return;
    const next = Math.min(...[...this.replicas.values()].map((r) => r.expiresAt));
    this.expiryTimer = setTimeout(
      () => {
        this.expiryTimer = undefined;
        const now = Date.now();
        for (const [lease, r] of [...this.replicas]) if (r.expiresAt <= now) this.replicaChanged(lease, r);
        this.scheduleExpiry();
      },
      Math.max(0, next - Date.now()) + 50,
    );
    this.expiryTimer.unref();
  }

  private configMapChanged(cm: KubeObject): void {
    if (cm.metadata.name === this.deps.settings.gatewayConfigMap) {
      this.queue.add(GATEWAY_KEY);
      return;
    }
    for (const ref of cm.metadata.ownerReferences ?? [])
      if (ref.kind === 'AegisTenant') this.queue.add(ref.name);
  }

  private startLeading(): void {
    this.leading = true;
    this.deps.metrics.leader.set(1);
    this.enqueueAll();
    this.queue.resume();
  }

  private stopLeading(): void {
    this.leading = false;
    this.deps.metrics.leader.set(0);
    this.queue.pause();
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Ready when every cache has listed once. */
  ready(): { ok: boolean; reason?: string } {
    const pending = [this.tenants, this.configMaps, this.leases].filter((i) => !i.hasSynced()).length;
    return pending === 0 ? { ok: true } : { ok: false, reason: `${pending} watch caches not synced` };
  }

  async start(): Promise<void> {
    await Promise.all([this.tenants.start(), this.configMaps.start(), this.leases.start()]);
    this.deps.log.info({ namespace: this.deps.settings.namespace }, 'Synced watch caches');
    if (this.deps.settings.resyncMs > 0) {
      this.resyncTimer = setInterval(() => this.enqueueAll(), this.deps.settings.resyncMs);
      this.resyncTimer.unref();
    }
    if (this.elector) this.elector.start();
    else this.startLeading();
  }

  async stop(): Promise<void> {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.queue.pause();
    await this.queue.stop();
    if (this.elector) await this.elector.stop();
    await Promise.all([this.tenants.stop(), this.configMaps.stop(), this.leases.stop()]);
    await this.events.flush();
  }
}

/** Whether two readings of one replica report the same applied state (renewals differ only in time). */
function sameReport(a: GatewayReplica, b: GatewayReplica): boolean {
  return (
    a.name === b.name &&
    a.applied === b.applied &&
    a.more === b.more &&
    a.rejected.size === b.rejected.size &&
    [...a.rejected].every((x) => b.rejected.has(x))
  );
}
