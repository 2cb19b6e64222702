import { GROUP } from '@aegis/common';
import { PLURAL } from './api/v1alpha1/crd';

/** Least-privilege RBAC of the operator: only the verbs on the resources it calls, in its own
 * namespace (it watches nothing cluster-wide). Kept next to the code that makes the calls. */

export const OPERATOR_SERVICE_ACCOUNT = 'aegis-operator';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export function operatorRules(leaderLease = 'aegis-operator-leader'): PolicyRule[] {
  return [
    // Watch cache of tenants; the finalizer is added and removed with a merge patch.
    { apiGroups: [GROUP], resources: [PLURAL], verbs: ['list', 'watch', 'patch'] },
    // Status through the status subresource (server-side apply = patch).
    { apiGroups: [GROUP], resources: [`${PLURAL}/status`], verbs: ['patch'] },
    // Owner references with blockOwnerDeletion on the tenant's ConfigMap.
    { apiGroups: [GROUP], resources: [`${PLURAL}/finalizers`], verbs: ['update'] },
    // Per-tenant and gateway ConfigMaps: watch cache, server-side apply (creates on first apply),
    // deletion of a stale tenant ConfigMap.
    { apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch', 'create', 'patch', 'delete'] },
    // Kubernetes Events for every state change (operator/src/k8s/events.ts): created once, then a
    // repeat only patches count and lastTimestamp.
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    // The bootstrap admin's password Secret, read once per provisioning.
    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    // Gateway replica Leases (Programmed) are watched; the leader Lease is read, created and renewed.
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['list', 'watch', 'create'] },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      verbs: ['get', 'update'],
      resourceNames: [leaderLease],
    },
  ];
}

const labels = {
  'app.kubernetes.io/name': 'aegis',
  'app.kubernetes.io/part-of': 'aegis',
  'app.kubernetes.io/component': 'operator',
};

export function operatorRbac(namespace: string, leaderLease?: string): Record<string, unknown>[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: OPERATOR_SERVICE_ACCOUNT, namespace, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: OPERATOR_SERVICE_ACCOUNT, namespace, labels },
      rules: operatorRules(leaderLease),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: OPERATOR_SERVICE_ACCOUNT, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OPERATOR_SERVICE_ACCOUNT },
      subjects: [{ kind: 'ServiceAccount', name: OPERATOR_SERVICE_ACCOUNT, namespace }],
    },
  ];
}
