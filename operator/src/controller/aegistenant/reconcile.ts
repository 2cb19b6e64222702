import { API_VERSION, type Logger, KIND } from '@aegis/common';
import type { AdminProvisioner } from '../../auth/admin-client';
import { configMapsResource, secretsResource, tenantsResource } from '../../k8s/resources';
import type { ConfigMap, KubeApi, KubeObject, Lease, Resource } from '@aegis/kube';
import type { ReconcileResult } from '../queue';
import {
  type AdminOutcome,
  type ConditionInput,
  programmedCondition,
  runningReplicas,
  tenantStatus,
} from './conditions';
import {
  type Evaluation,
  evaluateTenants,
  FIELD_MANAGER,
  FINALIZER,
  gatewayConfigMap,
  gatewayDocument,
  isDeleting,
  tenantConfigMap,
  type TenantObject,
  validateTenant,
} from './desired';
import { configMapUpToDate, newer, statusUpToDate } from './plan';
import type { RoutesDocument } from './routes';

export interface Cache<T> {
  get(name: string): T | undefined;
  list(): T[];
}

export interface ReconcilerDeps {
  api: KubeApi;
  namespace: string;
  gatewayConfigMapName: string;
  tenants: Cache<TenantObject>;
  configMaps: Cache<ConfigMap>;
  leases: Cache<Lease>;
  routes: RoutesDocument;
  /** undefined: AUTH_URL is not set, administrators are not provisioned. */
  admin?: AdminProvisioner;
  log: Logger;
  now?: () => number;
}

/** A failed step of a reconcile, with the condition reason it reports. */
class StepError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

async function step<T>(reason: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StepError) throw err;
    throw new StepError(reason, (err as Error).message);
  }
}

const HISTORY = 32;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Reconciles one AegisTenant (level-based, idempotent): fetch → validate (Accepted) → finalizer →
 * per-tenant ConfigMap → compiled gateway ConfigMap → bootstrap admin → status. Every write is a
 * server-side apply or a patch under the one field manager, and is skipped when the observed object
 * already matches. The gateway ConfigMap is shared by all tenants, so its sync is serialised.
 */
export class TenantReconciler {
  /** Objects as our own writes returned them: newer than the watch cache for a moment. */
  private readonly written = new Map<string, KubeObject>();
  /** Gateway configurations recently written or found: hash → tenant name → generation. */
  private readonly history = new Map<string, Map<string, number | undefined>>();
  private gatewayLock: Promise<unknown> = Promise.resolve();
  private readonly provisioned = new Set<string>();
  private readonly tenantsRes: Resource;
  private readonly configMapsRes: Resource;
  private readonly now: () => number;

  constructor(private readonly deps: ReconcilerDeps) {
    this.tenantsRes = tenantsResource(deps.namespace);
    this.configMapsRes = configMapsResource(deps.namespace);
    this.now = deps.now ?? Date.now;
  }

  /** The watch cache decides whether a tenant exists; our own last write may be newer. */
  private tenant(name: string): TenantObject | undefined {
    const cached = this.deps.tenants.get(name);
    if (!cached) return undefined;
    return newer(cached, this.written.get(`t/${name}`));
  }

  private allTenants(): TenantObject[] {
    return this.deps.tenants.list().map((t) => this.tenant(t.metadata.name) ?? t);
  }

  private configMap(name: string): ConfigMap | undefined {
    return newer(this.deps.configMaps.get(name), this.written.get(`cm/${name}`));
  }

  /** Forgets what it remembers of a deleted tenant. */
  forget(name: string): void {
    this.written.delete(`t/${name}`);
  }

  /** Brings the compiled gateway ConfigMap in line with the accepted, live tenants. */
  syncGatewayConfig(): Promise<{ hash: string; generations: Map<string, number | undefined> }> {
    const run = this.gatewayLock.then(() => this.syncGatewayConfigNow());
    this.gatewayLock = run.catch(() => undefined);
    return run;
  }

  private async syncGatewayConfigNow(): Promise<{
    hash: string;
    generations: Map<string, number | undefined>;
  }> {
    const tenants = this.allTenants();
    const document = gatewayDocument(this.deps.routes, tenants, evaluateTenants(tenants));
    const { configMap, hash } = gatewayConfigMap(
      this.deps.gatewayConfigMapName,
      this.deps.namespace,
      document,
    );
    const generations = new Map(document.tenants.map((t) => [t.name, t.generation]));
    this.history.delete(hash);
    this.history.set(hash, generations);
    while (this.history.size > HISTORY) this.history.delete(this.history.keys().next().value!);
    const observed = this.configMap(configMap.metadata.name);
    if (!configMapUpToDate(configMap, observed, FIELD_MANAGER)) {
      const out = await this.deps.api.apply<ConfigMap>(this.configMapsRes, configMap);
      this.written.set(`cm/${configMap.metadata.name}`, out);
      this.deps.log.info(
        { configMap: configMap.metadata.name, hash, tenants: document.tenants.length },
        'Applied gateway configuration',
      );
    }
    return { hash, generations };
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    const tenant = this.tenant(name);
    if (!tenant) {
      // Gone (deleted without our finalizer, or finalized): make sure the gateway forgot it.
      this.forget(name);
      await this.syncGatewayConfig();
      return {};
    }
    if (isDeleting(tenant)) return this.finalize(tenant);

    const evaluation = evaluateTenants(this.allTenants()).get(name) ?? validateTenant(tenant);
    const failures: StepError[] = [];
    let admin: AdminOutcome | undefined;
    let programmed: ConditionInput | undefined;
    let configHash: string | undefined;
    let current = tenant;
    const generation = tenant.metadata.generation;

    if (evaluation.accepted) {
      try {
        current = await step('FinalizerFailed', () => this.ensureFinalizer(tenant));
        await step('ConfigMapApplyFailed', () => this.applyTenantConfigMap(current, evaluation));
      } catch (err) {
        failures.push(err as StepError);
      }
    }
    try {
      const gw = await step('GatewayConfigFailed', () => this.syncGatewayConfig());
      if (evaluation.accepted && gw.generations.has(name) && gw.generations.get(name) === generation) {
        configHash = gw.hash;
      }
    } catch (err) {
      failures.push(err as StepError);
    }
    const replicas = runningReplicas(this.deps.leases.list(), this.now());
    if (evaluation.accepted) {
      programmed = programmedCondition(generation, replicas, (hash) => this.history.get(hash)?.get(name));
      try {
        // Suspension reaches login: auth refuses the tenant's tokens too (ADR 0023).
        const { tenantId, spec } = evaluation;
        await step('TenantStateReportFailed', async () =>
          this.deps.admin?.reportTenantState?.(tenantId, spec.suspended),
        );
      } catch (err) {
        failures.push(err as StepError);
      }
      try {
        admin = await this.provisionAdmin(current, evaluation);
      } catch (err) {
        const e = err as StepError;
        admin = { status: 'False', reason: e.reason, message: e.message };
        failures.push(e);
      }
    }
    const failure = failures[0];
    await this.writeStatus(current, {
      generation,
      evaluation,
      programmed,
      admin,
      configHash,
      ...(failure ? { failure: { reason: failure.reason, message: failure.message } } : {}),
    });
    if (failure) throw failure;
    if (!evaluation.accepted) {
      this.deps.log.info(
        { tenant: name, reason: evaluation.reason, message: evaluation.message },
        'Rejected tenant spec',
      );
      return {};
    }
    // A replica whose lease runs out changes Programmed without an event: look again then.
    const next =
      replicas.length > 0 ? Math.min(...replicas.map((r) => r.expiresAt)) - this.now() + 250 : undefined;
    return next !== undefined ? { requeueAfterMs: Math.max(250, next) } : {};
  }

  private async ensureFinalizer(tenant: TenantObject): Promise<TenantObject> {
    const finalizers = tenant.metadata.finalizers ?? [];
    if (finalizers.includes(FINALIZER)) return tenant;
    const out = await this.deps.api.mergePatch<TenantObject>(this.tenantsRes, tenant.metadata.name, {
      metadata: { finalizers: [...finalizers, FINALIZER], resourceVersion: tenant.metadata.resourceVersion },
    });
    this.written.set(`t/${tenant.metadata.name}`, out);
    this.deps.log.info({ tenant: tenant.metadata.name }, 'Added finalizer');
    return out;
  }

  private async applyTenantConfigMap(tenant: TenantObject, evaluation: Evaluation & { accepted: true }) {
    const desired = tenantConfigMap(tenant, evaluation.tenantId, evaluation.spec, this.deps.namespace);
    const observed = this.configMap(desired.metadata.name);
    if (!configMapUpToDate(desired, observed, FIELD_MANAGER)) {
      const out = await this.deps.api.apply<ConfigMap>(this.configMapsRes, desired);
      this.written.set(`cm/${desired.metadata.name}`, out);
      this.deps.log.info(
        { tenant: tenant.metadata.name, configMap: desired.metadata.name },
        'Applied tenant ConfigMap',
      );
    }
    // A ConfigMap of this tenant under another name (an earlier tenant id) is stale.
    for (const cm of this.deps.configMaps.list()) {
      const owned = cm.metadata.ownerReferences?.some((o) => o.uid === tenant.metadata.uid);
      if (owned && cm.metadata.name !== desired.metadata.name) {
        await this.deps.api.delete(this.configMapsRes, cm.metadata.name, { uid: cm.metadata.uid });
        this.deps.log.info(
          { tenant: tenant.metadata.name, configMap: cm.metadata.name },
          'Deleted stale tenant ConfigMap',
        );
      }
    }
  }

  private async provisionAdmin(
    tenant: TenantObject,
    evaluation: Evaluation & { accepted: true },
  ): Promise<AdminOutcome | undefined> {
    const spec = evaluation.spec.admin;
    if (!spec) return undefined;
    if (!this.deps.admin) {
      return {
        status: 'False',
        reason: 'AuthNotConfigured',
        message: 'AUTH_URL is not set: the operator does not create tenant administrators',
      };
    }
    const key = `${tenant.metadata.uid}/${evaluation.tenantId}/${spec.email}`;
    const prev = tenant.status?.conditions?.find((c) => c.type === 'AdminProvisioned');
    const done =
      prev?.status === 'True' &&
      prev.message.includes(spec.email) &&
      tenant.status?.tenantId === evaluation.tenantId;
    if (done && prev) return { status: 'True', reason: prev.reason, message: prev.message };
    if (this.provisioned.has(key) && prev?.status === 'True')
      return { status: 'True', reason: prev.reason, message: prev.message };
    const ref = spec.passwordSecretRef;
    const secret = await step('AdminProvisioningFailed', () =>
      this.deps.api.get<KubeObject & { data?: Record<string, string> }>(
        secretsResource(this.deps.namespace),
        ref.name,
      ),
    );
    if (!secret) throw new StepError('AdminSecretNotFound', `Secret ${ref.name} not found`);
    const encoded = secret.data?.[ref.key];
    if (!encoded) throw new StepError('AdminSecretNotFound', `Secret ${ref.name} has no key ${ref.key}`);
    const password = Buffer.from(encoded, 'base64').toString('utf8');
    const result = await step('AdminProvisioningFailed', () =>
      this.deps.admin!.ensureAdmin({
        tenantId: evaluation.tenantId,
        email: spec.email,
        password,
        displayName: evaluation.spec.displayName,
      }),
    );
    this.provisioned.add(key);
    this.deps.log.info(
      { tenant: tenant.metadata.name, email: spec.email, result },
      'Provisioned tenant administrator',
    );
    return result === 'created'
      ? {
          status: 'True',
          reason: 'Created',
          message: `Created administrator ${spec.email} in tenant ${evaluation.tenantId}`,
        }
      : {
          status: 'True',
          reason: 'AlreadyExists',
          message: `Administrator ${spec.email} already exists in tenant ${evaluation.tenantId}`,
        };
  }

  private async writeStatus(tenant: TenantObject, inputs: Parameters<typeof tenantStatus>[0]): Promise<void> {
    const desired = tenantStatus(inputs, tenant.status, isoSeconds(this.now()));
    if (statusUpToDate(desired, tenant.status)) return;
    const out = await this.deps.api.apply<TenantObject>(
      this.tenantsRes,
      {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: { name: tenant.metadata.name, namespace: this.deps.namespace, uid: tenant.metadata.uid },
        status: desired,
      },
      { subresource: 'status' },
    );
    this.written.set(`t/${tenant.metadata.name}`, out);
    const summary = Object.fromEntries(
      (desired.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]),
    );
    this.deps.log.info(
      { tenant: tenant.metadata.name, generation: desired.observedGeneration, conditions: summary },
      'Updated tenant status',
    );
  }

  /** Deletion: drop the tenant from the gateway configuration, deactivate its users, release. */
  private async finalize(tenant: TenantObject): Promise<ReconcileResult> {
    const name = tenant.metadata.name;
    const finalizers = tenant.metadata.finalizers ?? [];
    await this.syncGatewayConfig();
    if (!finalizers.includes(FINALIZER)) return {};
    const tenantId = validateTenant(tenant).tenantId ?? tenant.metadata.name;
    const live = evaluateTenants(this.allTenants());
    const sharedWith = this.allTenants().find((t) => {
      const e = live.get(t.metadata.name);
      return t.metadata.name !== name && !isDeleting(t) && e?.accepted && e.tenantId === tenantId;
    });
    if (!this.deps.admin) {
      this.deps.log.warn(
        { tenant: name, tenantId },
        'Skipped deactivating tenant users: AUTH_URL is not set',
      );
    } else if (sharedWith) {
      this.deps.log.info(
        { tenant: name, tenantId, other: sharedWith.metadata.name },
        'Kept users: another tenant uses the id',
      );
    } else {
      const count = await this.deps.admin.deactivateUsers(tenantId);
      this.deps.log.info({ tenant: name, tenantId, count }, 'Deactivated tenant users');
    }
    const out = await this.deps.api.mergePatch<TenantObject>(this.tenantsRes, name, {
      metadata: {
        finalizers: finalizers.filter((f) => f !== FINALIZER),
        resourceVersion: tenant.metadata.resourceVersion,
      },
    });
    this.written.set(`t/${name}`, out);
    this.deps.log.info({ tenant: name }, 'Removed finalizer');
    return {};
  }
}
