import { aegisTenantCrd, operatorRbac } from '@aegis/operator';
import type { Manifest } from './objects';

/** Objects as YAML would give them: plain JSON (the CRD and RBAC builders return fresh objects). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The AegisTenant CustomResourceDefinition(s), as the operator generates them from its TypeScript
 * source (the same objects it writes to operator/config/crd). */
export function readCrds(): Manifest[] {
  return [plain(aegisTenantCrd()) as Manifest];
}

/** The operator's RBAC (ServiceAccount, Roles, ClusterRoles and their bindings), as it generates it. */
export function readOperatorRbac(namespace = 'aegis'): Manifest[] {
  return operatorRbac(namespace).map((o) => plain(o) as Manifest);
}
