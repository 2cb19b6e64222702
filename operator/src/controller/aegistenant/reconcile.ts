import { API_VERSION, GATEWAY_TENANT_PIECES, type Logger, KIND } from '@aegis/common';
import type { AdminProvisioner } from '../../auth/admin-client';
import type { EventRecorder } from '../../k8s/events';
import { configMapsResource, secretsResource, tenantsResource } from '../../k8s/resources';
import { type ConfigMap, type KubeApi, type KubeObject, type Lease, type Resource } from '@aegis/kube';
import type { AegisTenantStatus, Condition } from '../../api/v1alpha1/status';
import type { ReconcileResult } from '../queue';
import {
  type AdminOutcome,
  type ConditionInput,
  type Delivery,
  programmedCondition,
  runningReplicas,
  tenantStatus,
} from './conditions';
import { DeliveryIndex } from './delivery-index';
import {
  CONFIG_HASH_ANNOTATION,
  configMapBytes,
  evaluateTenants,
  type Evaluation,
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
  /** Kubernetes Events for every state change (undefined in unit tests that do not look). */
  events?: EventRecorder;
  /** Largest per-tenant ConfigMap the operator writes (bytes); never above the API server's 1 MiB. */
  maxTenantConfigBytes?: number;
  /** How long a new generation may wait for the gateways before its status says "pending" (a
   * change the gateways apply within this time costs one status write, not two). */
  pendingGraceMs?: number;
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

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const bytes = (n: number) => n.toLocaleString('en-US');

/** The event a condition's new state is reported with (undefined: not worth an event). */
function conditionEvent(
  c: Condition,
  before: Condition | undefined,
): { type: 'Normal' | 'Warning'; reason: string } | undefined {
  if (before && before.status === c.status && before.reason === c.reason) return undefined;
  switch (c.type) {
    case 'Accepted':
      return c.status === 'True'
        ? { type: 'Normal', reason: 'Accepted' }
        : { type: 'Warning', reason: c.reason };
    case 'Programmed':
      if (c.status === 'True') return { type: 'Normal', reason: 'Programmed' };
      return c.reason === 'GatewaysPending' || c.reason === 'Pending'
        ? { type: 'Normal', reason: c.reason }
        : { type: 'Warning', reason: c.reason };
    case 'AdminProvisioned':
      return c.status === 'True'
        ? { type: 'Normal', reason: 'AdminProvisioned' }
        : { type: 'Warning', reason: c.reason };
    case 'Degraded':
      if (c.status === 'True') return { type: 'Warning', reason: c.reason };
      return before ? { type: 'Normal', reason: 'Recovered' } : undefined;
    default:
      return undefined;
  }
}

/** client-go's ordering of tenants competing for one id: the oldest, then the first by name. */
const olderThan = (a: TenantObject, b: TenantObject) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') < 0 ||
  ((a.metadata.creationTimestamp ?? '') === (b.metadata.creationTimestamp ?? '') &&
    a.metadata.name.localeCompare(b.metadata.name) < 0);

/**
 * Reconciles one AegisTenant (level-based, idempotent): fetch → validate (Accepted) → finalizer →
 * per-tenant ConfigMap (the tenant's settings and its compiled gateway entry, size-checked before
 * writing) → bootstrap admin → status. Work is proportional to the change: a reconcile touches only
 * its tenant's objects; the global gateway ConfigMap (routes and services) has its own key. Every
 * write is a server-side apply or a patch under the one field manager, and is skipped when the
 * observed object already matches.
 */
export class TenantReconciler {
  /** Objects as our own writes returned them: newer than the watch cache for a moment. */
  private readonly written = new Map<string, KubeObject>();
  /** validateTenant per cached object (the informer replaces an object when it changes). */
  private readonly validated = new WeakMap<TenantObject, Evaluation>();
  /** Since when a tenant's generation has been waiting for the gateways. */
  private readonly pendingSince = new Map<string, { generation: number | undefined; since: number }>();
  private readonly provisioned = new Set<string>();
  readonly index = new DeliveryIndex();
  private readonly tenantsRes: Resource;
  private readonly configMapsRes: Resource;
  private readonly now: () => number;
  private readonly maxBytes: number;
  private readonly graceMs: number;

  constructor(private readonly deps: ReconcilerDeps) {
    this.tenantsRes = tenantsResource(deps.namespace);
    this.configMapsRes = configMapsResource(deps.namespace);
    this.now = deps.now ?? Date.now;
    this.maxBytes = Math.min(
      deps.maxTenantConfigBytes ?? GATEWAY_TENANT_PIECES.maxBytes,
      GATEWAY_TENANT_PIECES.maxBytes,
    );
    this.graceMs = deps.pendingGraceMs ?? 3000;
  }

  /** The watch cache decides whether a tenant exists; our own last write may be newer. */
  private tenant(name: string): TenantObject | undefined {
    const cached = this.deps.tenants.get(name);
    if (!cached) return undefined;
    return newer(cached, this.written.get(`t/${name}`));
  }

  private configMap(name: string): ConfigMap | undefined {
    return newer(this.deps.configMaps.get(name), this.written.get(`cm/${name}`));
  }

  private validate(t: TenantObject): Evaluation {
    let e = this.validated.get(t);
    if (!e) {
      e = validateTenant(t);
      this.validated.set(t, e);
    }
    return e;
  }

  /** The tenant's evaluation: a valid spec is accepted unless an older live tenant claims its id
   * (the same rule as evaluateTenants, for one tenant, with validations cached per object). */
  evaluate(tenant: TenantObject): Evaluation {
    const e = this.validate(tenant);
    if (!e.accepted || isDeleting(tenant)) return e;
    for (const other of this.deps.tenants.list()) {
      if (other.metadata.name === tenant.metadata.name || isDeleting(other)) continue;
      const o = this.validate(other);
      if (o.accepted && o.tenantId === e.tenantId && olderThan(other, tenant)) {
        return {
          accepted: false,
          tenantId: e.tenantId,
          reason: 'TenantIdConflict',
          message: `tenant id ${e.tenantId} is already used by AegisTenant ${other.metadata.name}`,
        };
      }
    }
    return e;
  }

  /** The tenant id a cached tenant claims (for enqueueing the others that claim it too). */
  tenantIdOf(t: TenantObject): string | undefined {
    return this.validate(t).tenantId;
  }

  /** Forgets what it remembers of a deleted tenant. */
  forget(name: string): void {
    this.written.delete(`t/${name}`);
    this.pendingSince.delete(name);
    this.index.forget(name);
  }

  /**
   * True while a running gateway replica reports the hash it runs but no watermark: a gateway from
   * before per-tenant pieces, which reads every tenant from the global ConfigMap. Until it is gone the
   * global ConfigMap keeps carrying every tenant, as it did (the upgrade path of ADR 0022).
   */
  legacyGateways(): boolean {
    return runningReplicas(this.deps.leases.list(), this.now()).some(
      (r) => r.hash !== undefined && r.applied === undefined,
    );
  }

  /** Brings the global gateway ConfigMap in line: routes and services, and no tenant (each has its
   * own piece) unless a gateway from before per-tenant pieces still runs. */
  async syncGatewayConfig(): Promise<{ hash: string }> {
    const tenants = this.legacyGateways()
      ? this.deps.tenants.list().map((t) => this.tenant(t.metadata.name) ?? t)
      : [];
    const document = gatewayDocument(this.deps.routes, tenants, evaluateTenants(tenants));
    const { configMap, hash } = gatewayConfigMap(
      this.deps.gatewayConfigMapName,
      this.deps.namespace,
      document,
    );
    const observed = this.configMap(configMap.metadata.name);
    if (!configMapUpToDate(configMap, observed, FIELD_MANAGER)) {
      const out = await this.deps.api.apply<ConfigMap>(this.configMapsRes, configMap);
      this.written.set(`cm/${configMap.metadata.name}`, out);
      this.deps.log.info({ configMap: configMap.metadata.name, hash }, 'Applied gateway configuration');
    }
    return { hash };
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    const tenant = this.tenant(name);
    if (!tenant) {
      // Gone (deleted without our finalizer, or finalized): make sure no gateway piece is left.
      await this.removePieces((cm) => cm.metadata.ownerReferences?.some((o) => o.name === name) === true);
      this.forget(name);
      return {};
    }
    if (isDeleting(tenant)) return this.finalize(tenant);

    const evaluation = this.evaluate(tenant);
    const failures: StepError[] = [];
    let admin: AdminOutcome | undefined;
    let programmed: ConditionInput | undefined;
    let delivery: Delivery | undefined;
    let current = tenant;
    const generation = tenant.metadata.generation;

    if (evaluation.accepted) {
      try {
        current = await step('FinalizerFailed', () => this.ensureFinalizer(tenant));
        delivery = await this.deliver(current, evaluation);
      } catch (err) {
        failures.push(err as StepError);
      }
    } else {
      // Not accepted: not served. Its pieces (if an earlier generation was accepted) go.
      try {
        await step('ConfigMapDeleteFailed', () => this.removePieces((cm) => this.ownedBy(cm, tenant)));
      } catch (err) {
        failures.push(err as StepError);
      }
    }
    if (evaluation.accepted) {
      if (delivery) {
        programmed = programmedCondition(
          generation,
          delivery,
          runningReplicas(this.deps.leases.list(), this.now()),
        );
      }
      this.index.record(name, delivery, programmed?.status === 'True');
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
    } else {
      this.index.forget(name);
    }
    const failure = failures[0];
    for (const f of failures) this.deps.events?.event(current, 'Warning', f.reason, f.message);
    const configHash =
      delivery && 'piece' in delivery && delivery.generation === generation
        ? this.configMap(delivery.piece)?.metadata.annotations?.[CONFIG_HASH_ANNOTATION]
        : undefined;
    const inputs = {
      generation,
      evaluation,
      programmed,
      admin,
      configHash,
      ...(failure ? { failure: { reason: failure.reason, message: failure.message } } : {}),
    };
    const wait = this.graceLeft(name, generation, programmed, failure);
    if (wait === undefined) await this.writeStatus(current, inputs);
    if (failure) throw failure;
    if (!evaluation.accepted) {
      this.deps.log.info(
        { tenant: name, reason: evaluation.reason, message: evaluation.message },
        'Rejected tenant spec',
      );
      return {};
    }
    // Lease changes that concern this tenant enqueue it (see DeliveryIndex); the one thing no event
    // announces is the end of the grace period.
    return wait !== undefined ? { requeueAfterMs: wait } : {};
  }

  /**
   * undefined: write the status now. Otherwise the milliseconds left before a new generation that the
   * gateways have not applied yet is reported as pending: if they apply it meanwhile (the usual case,
   * well under a second), the status is written once, straight to Programmed at the new generation.
   */
  private graceLeft(
    name: string,
    generation: number | undefined,
    programmed: ConditionInput | undefined,
    failure: StepError | undefined,
  ): number | undefined {
    if (failure || programmed?.reason !== 'GatewaysPending') {
      this.pendingSince.delete(name);
      return undefined;
    }
    const since = this.pendingSince.get(name);
    const now = this.now();
    if (!since || since.generation !== generation) {
      this.pendingSince.set(name, { generation, since: now });
      return this.graceMs > 0 ? this.graceMs : undefined;
    }
    const left = since.since + this.graceMs - now;
    return left > 0 ? left : undefined;
  }

  private ownedBy(cm: ConfigMap, tenant: TenantObject): boolean {
    return cm.metadata.ownerReferences?.some((o) => o.uid === tenant.metadata.uid) === true;
  }

  /** Deletes the tenant ConfigMaps matching `which` (the gateways drop their entries at once). */
  private async removePieces(which: (cm: ConfigMap) => boolean): Promise<void> {
    for (const cm of this.deps.configMaps.list()) {
      if (cm.metadata.labels?.[GATEWAY_TENANT_PIECES.label] !== GATEWAY_TENANT_PIECES.value) continue;
      if (!which(cm)) continue;
      await this.deps.api.delete(this.configMapsRes, cm.metadata.name, { uid: cm.metadata.uid });
      this.written.delete(`cm/${cm.metadata.name}`);
      this.deps.log.info({ configMap: cm.metadata.name }, 'Deleted tenant ConfigMap');
    }
  }

  /**
   * Writes the tenant's ConfigMap when it changed, after checking its size: a piece the API server
   * would refuse is not sent (the tenant keeps its last good piece, and only it is marked).
   */
  private async deliver(
    tenant: TenantObject,
    evaluation: Evaluation & { accepted: true },
  ): Promise<Delivery> {
    const desired = tenantConfigMap(tenant, evaluation.tenantId, evaluation.spec, this.deps.namespace);
    const name = desired.metadata.name;
    const size = configMapBytes(desired);
    const observed = this.configMap(name);
    if (size > this.maxBytes) {
      const kept = observed?.metadata.annotations?.[GATEWAY_TENANT_PIECES.generationAnnotation];
      return {
        undeliverable: {
          reason: 'ConfigTooLarge',
          message:
            `The tenant's compiled configuration (ConfigMap ${name}) is ${bytes(size)} bytes, over the ` +
            `${bytes(this.maxBytes)}-byte limit of a tenant ConfigMap; ` +
            (kept ? `the gateways keep running generation ${kept}` : 'the gateways do not serve it yet'),
        },
      };
    }
    let out = observed;
    if (!configMapUpToDate(desired, observed, FIELD_MANAGER)) {
      try {
        out = await this.deps.api.apply<ConfigMap>(this.configMapsRes, desired);
      } catch (err) {
        throw new StepError('ConfigDeliveryFailed', `ConfigMap ${name}: ${(err as Error).message}`);
      }
      this.written.set(`cm/${name}`, out);
      this.deps.log.info(
        { tenant: tenant.metadata.name, configMap: name, bytes: size },
        'Applied tenant ConfigMap',
      );
      // A ConfigMap of this tenant under another name (an earlier tenant id) is stale.
      await step('ConfigMapDeleteFailed', () =>
        this.removePieces((cm) => cm.metadata.name !== name && this.ownedBy(cm, tenant)),
      );
    }
    return {
      piece: name,
      resourceVersion: out?.metadata.resourceVersion ?? '',
      generation: tenant.metadata.generation,
    };
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
    const before: AegisTenantStatus | undefined = tenant.status;
    const desired = tenantStatus(inputs, before, isoSeconds(this.now()));
    if (statusUpToDate(desired, before)) return;
    let out: TenantObject;
    try {
      out = await this.deps.api.apply<TenantObject>(
        this.tenantsRes,
        {
          apiVersion: API_VERSION,
          kind: KIND,
          metadata: { name: tenant.metadata.name, namespace: this.deps.namespace, uid: tenant.metadata.uid },
          status: desired,
        },
        { subresource: 'status' },
      );
    } catch (err) {
      this.deps.events?.event(tenant, 'Warning', 'StatusUpdateFailed', (err as Error).message);
      throw new StepError('StatusUpdateFailed', (err as Error).message);
    }
    this.written.set(`t/${tenant.metadata.name}`, out);
    for (const c of desired.conditions ?? []) {
      const e = conditionEvent(
        c,
        before?.conditions?.find((o) => o.type === c.type),
      );
      if (e) this.deps.events?.event(tenant, e.type, e.reason, c.message);
    }
    const summary = Object.fromEntries(
      (desired.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]),
    );
    this.deps.log.info(
      { tenant: tenant.metadata.name, generation: desired.observedGeneration, conditions: summary },
      'Updated tenant status',
    );
  }

  /** Deletion: drop the tenant's gateway piece, deactivate its users, release. */
  private async finalize(tenant: TenantObject): Promise<ReconcileResult> {
    const name = tenant.metadata.name;
    const finalizers = tenant.metadata.finalizers ?? [];
    this.index.forget(name);
    if (!finalizers.includes(FINALIZER)) return {};
    await this.removePieces((cm) => this.ownedBy(cm, tenant));
    const tenantId = validateTenant(tenant).tenantId ?? tenant.metadata.name;
    const sharedWith = this.deps.tenants.list().find((t) => {
      if (t.metadata.name === name || isDeleting(t)) return false;
      const e = this.evaluate(t);
      return e.accepted && e.tenantId === tenantId;
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
      let count: number;
      try {
        count = await this.deps.admin.deactivateUsers(tenantId);
      } catch (err) {
        this.deps.events?.event(tenant, 'Warning', 'DeactivationFailed', (err as Error).message);
        throw err;
      }
      this.deps.events?.event(
        tenant,
        'Normal',
        'UsersDeactivated',
        `Deactivated ${count} users of tenant ${tenantId}`,
      );
      this.deps.log.info({ tenant: name, tenantId, count }, 'Deactivated tenant users');
    }
    const out = await this.deps.api.mergePatch<TenantObject>(this.tenantsRes, name, {
      metadata: {
        finalizers: finalizers.filter((f) => f !== FINALIZER),
        resourceVersion: tenant.metadata.resourceVersion,
      },
    });
    this.written.set(`t/${name}`, out);
    this.deps.events?.event(tenant, 'Normal', 'Finalized', 'Removed from the gateways; finalizer released');
    this.deps.log.info({ tenant: name }, 'Removed finalizer');
    return {};
  }
}
