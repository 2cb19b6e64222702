import type { AegisTenantStatus, Condition, ConditionStatus, ConditionType } from '../../api/v1alpha1/status';
import { CONDITION_TYPES } from '../../api/v1alpha1/status';
import type { Lease } from '@aegis/kube';
import {
  CONFIG_APPLIED_ANNOTATION,
  CONFIG_REJECTED_ANNOTATION,
  compareResourceVersions,
} from '@aegis/common';
import { CONFIG_HASH_ANNOTATION, type Evaluation } from './desired';

/** Pure: the tenant's status from what the reconcile observed. */

export interface ConditionInput {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** The conditions to write: in a fixed order, each with the generation it was computed for and
 * lastTransitionTime kept from the observed condition unless its status flips. */
export function mergeConditions(
  observed: readonly Condition[] | undefined,
  next: readonly ConditionInput[],
  generation: number | undefined,
  now: string,
): Condition[] {
  const order = (t: string) => CONDITION_TYPES.indexOf(t as ConditionType);
  return [...next]
    .sort((a, b) => order(a.type) - order(b.type))
    .map((c) => {
      const before = observed?.find((o) => o.type === c.type);
      return {
        type: c.type,
        status: c.status,
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
        lastTransitionTime: before && before.status === c.status ? before.lastTransitionTime : now,
        reason: c.reason,
        message: c.message,
      };
    });
}

export interface GatewayReplica {
  name: string;
  hash?: string;
  /** The highest resourceVersion of the per-tenant pieces the replica applied (undefined: it has
   * reported none yet, e.g. an older gateway). */
  applied?: string;
  /** Pieces (ConfigMap names) the replica refused; `more` counts those beyond the reported names. */
  rejected: ReadonlySet<string>;
  more: number;
  expiresAt: number;
}

/** One replica's Lease as the operator reads it (whether or not it is still current). */
export function replicaOf(l: Lease): GatewayReplica {
  const renew = Date.parse(l.spec?.renewTime ?? '');
  const duration = (l.spec?.leaseDurationSeconds ?? 0) * 1000;
  const annotations = l.metadata.annotations ?? {};
  const listed = (annotations[CONFIG_REJECTED_ANNOTATION] ?? '').split(',').filter((x) => x !== '');
  const more = listed.find((x) => x.startsWith('+'));
  return {
    name: l.spec?.holderIdentity || l.metadata.name,
    hash: annotations[CONFIG_HASH_ANNOTATION],
    ...(annotations[CONFIG_APPLIED_ANNOTATION] ? { applied: annotations[CONFIG_APPLIED_ANNOTATION] } : {}),
    rejected: new Set(listed.filter((x) => !x.startsWith('+'))),
    more: more ? Number(more.slice(1)) || 0 : 0,
    expiresAt: Number.isNaN(renew) ? 0 : renew + duration,
  };
}

/** Gateway replicas whose Lease is current: renewTime + leaseDurationSeconds > now. */
export function runningReplicas(leases: readonly Lease[], now: number): GatewayReplica[] {
  return leases
    .map(replicaOf)
    .filter((r) => r.expiresAt > now)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** True when the replica has applied the piece written at `resourceVersion`. */
export function replicaCovers(replica: GatewayReplica, resourceVersion: string): boolean {
  if (replica.applied === undefined) return false;
  const order = compareResourceVersions(replica.applied, resourceVersion);
  return order !== undefined && order >= 0;
}

/** Where a tenant's gateway entry stands: delivered in ConfigMap `piece` at `resourceVersion` for
 * `generation`, or not deliverable (`undeliverable` says why, and the condition names it). */
export type Delivery =
  | { piece: string; resourceVersion: string; generation: number | undefined }
  | { undeliverable: { reason: string; message: string } };

/**
 * Programmed: at least one gateway replica runs, and every running replica has applied the piece
 * that carries this tenant at its current generation (its watermark is at or past the piece's
 * resourceVersion, and it did not refuse the piece). The message names the generation, not the
 * replica count or a fleet-wide hash, so it changes only when this tenant does.
 */
export function programmedCondition(
  generation: number | undefined,
  delivery: Delivery,
  replicas: readonly GatewayReplica[],
): ConditionInput {
  if ('undeliverable' in delivery) {
    return { type: 'Programmed', status: 'False', ...delivery.undeliverable };
  }
  if (replicas.length === 0) {
    return {
      type: 'Programmed',
      status: 'False',
      reason: 'NoGatewayReplicas',
      message: 'No running gateway replica reports its configuration',
    };
  }
  const refused = replicas.filter((r) => r.rejected.has(delivery.piece));
  if (refused.length > 0) {
    return {
      type: 'Programmed',
      status: 'False',
      reason: 'GatewayRejected',
      message: `${refused.length}/${replicas.length} gateway replicas refused ConfigMap ${delivery.piece} (see their logs)`,
    };
  }
  const current = replicas.filter((r) => replicaCovers(r, delivery.resourceVersion));
  if (current.length === replicas.length) {
    return {
      type: 'Programmed',
      status: 'True',
      reason: 'AllGatewaysLoaded',
      message: `Every running gateway replica runs generation ${generation ?? 0}`,
    };
  }
  return {
    type: 'Programmed',
    status: 'False',
    reason: 'GatewaysPending',
    message: `${current.length}/${replicas.length} gateway replicas run generation ${generation ?? 0}`,
  };
}

export interface AdminOutcome {
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface StatusInputs {
  generation: number | undefined;
  evaluation: Evaluation;
  programmed?: ConditionInput;
  /** undefined: the spec names no admin. */
  admin?: AdminOutcome;
  /** A failure of this reconcile (it is retried with backoff). */
  failure?: { reason: string; message: string };
  configHash?: string;
}

/** The desired status (conditions without times; mergeConditions adds them). */
export function statusConditions(inputs: StatusInputs): ConditionInput[] {
  const { evaluation } = inputs;
  const out: ConditionInput[] = [];
  out.push(
    evaluation.accepted
      ? { type: 'Accepted', status: 'True', reason: 'Valid', message: 'The spec is valid' }
      : { type: 'Accepted', status: 'False', reason: evaluation.reason, message: evaluation.message },
  );
  const programmed: ConditionInput = evaluation.accepted
    ? (inputs.programmed ?? {
        type: 'Programmed',
        status: 'Unknown',
        reason: 'Pending',
        message: 'Not yet compared with the gateway replicas',
      })
    : {
        type: 'Programmed',
        status: 'False',
        reason: 'NotAccepted',
        message: 'The tenant is not in the gateway configuration',
      };
  out.push(programmed);
  if (inputs.admin) out.push({ type: 'AdminProvisioned', ...inputs.admin });
  let ready: ConditionInput;
  if (!evaluation.accepted)
    ready = { type: 'Ready', status: 'False', reason: 'NotAccepted', message: evaluation.message };
  else if (programmed.status !== 'True')
    ready = { type: 'Ready', status: 'False', reason: programmed.reason, message: programmed.message };
  else if (inputs.admin && inputs.admin.status !== 'True') {
    ready = { type: 'Ready', status: 'False', reason: 'AdminNotProvisioned', message: inputs.admin.message };
  } else
    ready = {
      type: 'Ready',
      status: 'True',
      reason: 'Ready',
      message: 'The tenant is served by every gateway replica',
    };
  out.push(ready);
  out.push(
    inputs.failure
      ? {
          type: 'Degraded',
          status: 'True',
          reason: inputs.failure.reason,
          message: inputs.failure.message.slice(0, 4096),
        }
      : { type: 'Degraded', status: 'False', reason: 'AsExpected', message: 'The last reconcile succeeded' },
  );
  return out;
}

export function tenantStatus(
  inputs: StatusInputs,
  observed: AegisTenantStatus | undefined,
  now: string,
): AegisTenantStatus {
  const tenantId = inputs.evaluation.tenantId;
  return {
    ...(inputs.generation !== undefined ? { observedGeneration: inputs.generation } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(inputs.configHash ? { configHash: inputs.configHash } : {}),
    conditions: mergeConditions(observed?.conditions, statusConditions(inputs), inputs.generation, now),
  };
}
