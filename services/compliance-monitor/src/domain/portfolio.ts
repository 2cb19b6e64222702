/** What the calculations read, assembled from the knowledge graph (graph/portfolio.ts): the wells in
 * scope with their production, the authorisations, permits and deadlines linked to them. Pure data. */

/** One month of a well's production: the one shape of `PUT /entities/Well/{id}/production`. */
export type { ProductionRecord } from '@aegis/graph-client';
import type { ProductionRecord } from '@aegis/graph-client';

export interface WellInfo {
  id: string;
  name: string | null;
  status: string | null;
  wellType: string | null;
  properties: Record<string, unknown>;
  /** The field whose rules apply (a field with an allowable or GOR limit the well is IN_FIELD of,
   * directly or through its lease), for allowables and GOR limits. */
  field: { id: string; properties: Record<string, unknown> } | null;
  production: ProductionRecord[];
}

export interface AuthorizationInfo {
  id: string;
  status: string;
  effectiveDate: string | undefined;
  expiryDate: string | undefined;
  maxMcfPerDay: number | undefined;
  /** Wells in scope it covers: AUTHORIZES the well, or a lease the well is ON_LEASE of. */
  wellIds: string[];
}

/** A dated obligation: a ComplianceDeadline, a flaring authorisation's expiry, a permit's expiry. */
export interface DeadlineItem {
  label: 'ComplianceDeadline' | 'FlaringAuthorization' | 'Permit';
  id: string;
  kind: string;
  title: string;
  dueDate: string;
  status: string;
  /** Wells in scope it concerns (empty when it is linked to none of them). */
  wellIds: string[];
}

export interface Portfolio {
  asOf: string;
  wells: WellInfo[];
  authorizations: AuthorizationInfo[];
  deadlines: DeadlineItem[];
}

/** Authorisation statuses that allow flaring (the knowledge graph's `flaring_without_authorization`
 * template reads a missing status as approved, and so does this). */
export function authorizes(status: string): boolean {
  return status === 'approved' || status === 'active';
}

export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
export const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Items by the wells they concern, so per-well lookups stay constant-time over thousands of wells. */
export function byWell<T extends { wellIds: readonly string[] }>(items: readonly T[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items)
    for (const w of item.wellIds) {
      const list = index.get(w);
      if (list) list.push(item);
      else index.set(w, [item]);
    }
  return index;
}
