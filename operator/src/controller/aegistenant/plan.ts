import { canonicalJson } from '@aegis/common';
import type { AegisTenantStatus } from '../../api/v1alpha1/status';
import type { ConfigMap, KubeObject } from '@aegis/kube';

/** Pure: decides whether a write is needed. The operator writes with server-side apply, so an object
 * is up to date when every field it would apply already has the desired value AND the set of fields
 * its field manager owns is exactly the desired set (otherwise an apply would remove a field the
 * operator no longer wants). Both come from the observed object: values and managedFields. */

interface OwnedKeys {
  labels: Set<string>;
  annotations: Set<string>;
  data: Set<string>;
}

const keysOf = (fields: unknown): Set<string> =>
  new Set(
    Object.keys((fields as Record<string, unknown> | undefined) ?? {})
      .filter((k) => k.startsWith('f:'))
      .map((k) => k.slice(2)),
  );

/** The labels, annotations and data keys `manager` owns through apply, or undefined when it owns
 * nothing (it never applied this object). */
export function ownedKeys(observed: KubeObject, manager: string): OwnedKeys | undefined {
  const entry = observed.metadata.managedFields?.find(
    (m) => m.manager === manager && m.operation === 'Apply' && !m.subresource,
  );
  if (!entry) return undefined;
  const f = (entry.fieldsV1 ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const meta = f['f:metadata'] ?? {};
  return {
    labels: keysOf(meta['f:labels']),
    annotations: keysOf(meta['f:annotations']),
    data: keysOf(f['f:data']),
  };
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

function subsetEqual(
  desired: Record<string, string> | undefined,
  observed: Record<string, string> | undefined,
) {
  return Object.entries(desired ?? {}).every(([k, v]) => observed?.[k] === v);
}

/** True when applying `desired` would change nothing. */
export function configMapUpToDate(
  desired: ConfigMap,
  observed: ConfigMap | undefined,
  manager: string,
): boolean {
  if (!observed) return false;
  const owned = ownedKeys(observed, manager);
  if (!owned) return false;
  const dm = desired.metadata;
  const om = observed.metadata;
  if (!subsetEqual(dm.labels, om.labels) || !subsetEqual(dm.annotations, om.annotations)) return false;
  if (!subsetEqual(desired.data, observed.data)) return false;
  if (!sameSet(owned.labels, new Set(Object.keys(dm.labels ?? {})))) return false;
  if (!sameSet(owned.annotations, new Set(Object.keys(dm.annotations ?? {})))) return false;
  if (!sameSet(owned.data, new Set(Object.keys(desired.data ?? {})))) return false;
  for (const ref of dm.ownerReferences ?? []) {
    const found = om.ownerReferences?.find((o) => o.uid === ref.uid);
    if (!found || canonicalJson(found) !== canonicalJson(ref)) return false;
  }
  return true;
}

/** True when the observed status already says what the operator would write. */
export function statusUpToDate(desired: AegisTenantStatus, observed: AegisTenantStatus | undefined): boolean {
  return canonicalJson(desired) === canonicalJson(observed ?? {});
}

/** Of two copies of one object (the watch cache's and the one a write returned), the newer. */
export function newer<T extends KubeObject>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a || !b) return a ?? b;
  if (a.metadata.uid && b.metadata.uid && a.metadata.uid !== b.metadata.uid) return a;
  const ra = a.metadata.resourceVersion ?? '';
  const rb = b.metadata.resourceVersion ?? '';
  // resourceVersions are opaque, but etcd's are integers: compare them as such when they are.
  if (/^\d+$/.test(ra) && /^\d+$/.test(rb)) return BigInt(ra) >= BigInt(rb) ? a : b;
  return a;
}
