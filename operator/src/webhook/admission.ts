import { evaluateTenants, type TenantObject } from '../controller/aegistenant/desired';

/** The validating admission webhook's decision (ADR 0023): a new AegisTenant may not claim a tenant id
 * another live, accepted AegisTenant holds. The rule is the reconciler's own (`evaluateTenants`), so
 * admission and reconcile agree; the reconcile check stays as the backstop for what admission
 * cannot see (the webhook off or unreachable, two creates racing the watch cache). Pure. */

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
/** The path the ValidatingWebhookConfiguration calls. */
export const VALIDATE_PATH = '/validate-aegistenant';
/** The webhook's name in the ValidatingWebhookConfiguration (shown by kubectl in a refusal). */
export const WEBHOOK_NAME = 'tenant-ids.aegis.io';

export interface AdmissionRequest {
  uid: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  name?: string;
  namespace?: string;
  object?: unknown;
  oldObject?: unknown;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason: string; message: string };
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: string;
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

interface TenantLike {
  metadata?: { name?: string };
  spec?: { tenantId?: unknown };
}

/** The id an object claims: spec.tenantId, else metadata.name (undefined when neither is known yet). */
function claimedId(object: unknown): string | undefined {
  const t = object as TenantLike | undefined;
  const id = t?.spec?.tenantId;
  return typeof id === 'string' ? id : t?.metadata?.name;
}

/**
 * The answer to one AdmissionReview request. `tenants` is the watch cache of the namespace, or
 * undefined while it has not synced (the request is then allowed with a warning, like the webhook's
 * failurePolicy Ignore: the reconciler still refuses a collision).
 */
export function reviewTenant(
  request: AdmissionRequest,
  tenants: readonly TenantObject[] | undefined,
): AdmissionResponse {
  const allowed: AdmissionResponse = { uid: request.uid, allowed: true };
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allowed;
  const id = claimedId(request.object);
  const name = (request.object as TenantLike | undefined)?.metadata?.name ?? request.name;
  if (id === undefined || name === undefined) return allowed;
  // An update that keeps the id never creates a collision (and must not block, e.g., finalizer removal).
  if (request.operation === 'UPDATE' && claimedId(request.oldObject) === id) return allowed;
  if (!tenants) {
    return {
      ...allowed,
      warnings: [`tenant id ${id} was not checked for collisions: the operator's cache is not synced yet`],
    };
  }
  const evaluations = evaluateTenants(tenants);
  const holder = tenants.find((t) => {
    if (t.metadata.name === name || t.metadata.deletionTimestamp) return false;
    const e = evaluations.get(t.metadata.name);
    return e?.accepted === true && e.tenantId === id;
  });
  if (!holder) return allowed;
  return {
    uid: request.uid,
    allowed: false,
    status: {
      code: 409,
      reason: 'Conflict',
      message: `tenant id ${id} is already used by AegisTenant ${holder.metadata.name}`,
    },
  };
}
