import type { EdgeView, EntityView, GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import { dateOf } from '../domain/dates';
import { CLOSED_DEADLINE } from '../domain/deadlines';
import {
  num,
  text,
  type AuthorizationInfo,
  type DeadlineItem,
  type Portfolio,
  type ProductionRecord,
  type WellInfo,
} from '../domain/portfolio';

/** Which wells a calculation looks at: named wells, one operator's (OPERATED_BY), or all the tenant's. */
export type Scope = { wellIds: string[] } | { operatorId: string } | { all: true };

/** At most this many graph requests in flight for one calculation. */
const PARALLEL = 8;

async function mapLimit<T, R>(items: readonly T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return out;
}

function productionOf(well: EntityView): ProductionRecord[] {
  const raw = well.properties.production;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((r): r is ProductionRecord => !!r && typeof r === 'object' && typeof r.period === 'string')
    .sort((a, b) => (a.period < b.period ? -1 : 1));
}

/** The wells of a scope, as the graph holds them. */
export async function wellsOf(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  scope: Scope,
): Promise<EntityView[]> {
  if ('operatorId' in scope)
    return (await kg.query(caller, 'wells_by_operator', { operator_id: scope.operatorId })) as EntityView[];
  if ('all' in scope) return kg.listEntities(caller, 'Well');
  const found = await mapLimit(scope.wellIds, (id) => kg.getEntity(caller, 'Well', id));
  return found.filter((w): w is EntityView => w !== undefined);
}

const outOf = (edges: EdgeView[], rel: string, toLabel: string) =>
  edges.filter((e) => e.rel_type === rel && e.to_label === toLabel).map((e) => e.to_id);
const inOf = (edges: EdgeView[], rel: string, fromLabel: string, self: string) =>
  edges
    .filter((e) => e.rel_type === rel && e.from_label === fromLabel && e.to_id === self)
    .map((e) => e.from_id);

/**
 * Reads what the calculations need about `wells` through the graph's API: each well's edges (lease,
 * field, operator; authorisations, permits and deadlines pointing at it), each of their leases' edges
 * (lease-wide authorisations and deadlines), each relevant authorisation's deadlines, and the
 * tenant's authorisations, permits and deadlines. `includeUnlinked` keeps deadlines linked to no well
 * in scope (a tenant-wide deadline report).
 */
export async function loadPortfolio(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  wells: readonly EntityView[],
  asOf: string,
  includeUnlinked: boolean,
): Promise<Portfolio> {
  const [authEntities, permits, deadlineEntities, fields] = await Promise.all([
    kg.listEntities(caller, 'FlaringAuthorization'),
    kg.listEntities(caller, 'Permit'),
    kg.listEntities(caller, 'ComplianceDeadline'),
    kg.listEntities(caller, 'Field'),
  ]);
  const fieldById = new Map(fields.map((f) => [f.entity_id, f]));

  const wellEdges = await mapLimit(wells, (w) => kg.edgesOf(caller, 'Well', w.entity_id));
  const leaseIds = [...new Set(wellEdges.flatMap((e) => outOf(e, 'ON_LEASE', 'Lease')))];
  const leaseEdges = new Map(
    await mapLimit(leaseIds, async (id) => [id, await kg.edgesOf(caller, 'Lease', id)] as const),
  );

  // entity key → wells in scope it concerns
  const linked = new Map<string, Set<string>>();
  const link = (label: string, id: string, wellId: string) => {
    const key = `${label}|${id}`;
    const set = linked.get(key) ?? new Set<string>();
    set.add(wellId);
    linked.set(key, set);
  };

  const infos: WellInfo[] = wells.map((w, i) => {
    const edges = wellEdges[i];
    const leases = outOf(edges, 'ON_LEASE', 'Lease');
    const fieldIds = new Set(outOf(edges, 'IN_FIELD', 'Field'));
    for (const id of inOf(edges, 'AUTHORIZES', 'FlaringAuthorization', w.entity_id))
      link('FlaringAuthorization', id, w.entity_id);
    for (const id of inOf(edges, 'AUTHORIZES', 'Permit', w.entity_id)) link('Permit', id, w.entity_id);
    for (const id of inOf(edges, 'APPLIES_TO', 'ComplianceDeadline', w.entity_id))
      link('ComplianceDeadline', id, w.entity_id);
    for (const lease of leases) {
      const le = leaseEdges.get(lease) ?? [];
      for (const f of outOf(le, 'IN_FIELD', 'Field')) fieldIds.add(f);
      for (const id of inOf(le, 'AUTHORIZES', 'FlaringAuthorization', lease))
        link('FlaringAuthorization', id, w.entity_id);
      for (const id of inOf(le, 'APPLIES_TO', 'ComplianceDeadline', lease))
        link('ComplianceDeadline', id, w.entity_id);
    }
    const fieldId = [...fieldIds].find((f) => fieldById.has(f));
    return {
      id: w.entity_id,
      name: text(w.properties.name),
      status: text(w.properties.status)?.toLowerCase() ?? null,
      wellType: text(w.properties.well_type)?.toLowerCase() ?? null,
      properties: w.properties,
      leaseIds: leases,
      fieldIds: [...fieldIds],
      operatorIds: outOf(edges, 'OPERATED_BY', 'Operator'),
      regulationIds: outOf(edges, 'GOVERNED_BY', 'Regulation'),
      field: fieldId ? { id: fieldId, properties: fieldById.get(fieldId)!.properties } : null,
      production: productionOf(w),
    };
  });

  // Deadlines on an authorisation or permit concern the wells it covers.
  const covered = authEntities.filter((a) => linked.has(`FlaringAuthorization|${a.entity_id}`));
  const authDeadlineEdges = await mapLimit(
    [...covered, ...permits.filter((p) => linked.has(`Permit|${p.entity_id}`))],
    async (e) => ({
      key: `${e.label}|${e.entity_id}`,
      edges: await kg.edgesOf(caller, e.label as 'Permit', e.entity_id, {
        direction: 'in',
        relType: 'APPLIES_TO',
      }),
    }),
  );
  for (const { key, edges } of authDeadlineEdges)
    for (const e of edges)
      if (e.from_label === 'ComplianceDeadline')
        for (const w of linked.get(key) ?? []) link('ComplianceDeadline', e.from_id, w);

  const wellsOfEntity = (label: string, id: string) => [...(linked.get(`${label}|${id}`) ?? [])].sort();

  const authorizations: AuthorizationInfo[] = authEntities.map((a) => ({
    id: a.entity_id,
    status: text(a.properties.status)?.toLowerCase() ?? 'approved',
    effectiveDate: dateOf(a.properties.effective_date),
    expiryDate: dateOf(a.properties.expiry_date),
    maxMcfPerDay: num(a.properties.max_volume_mcf_per_day),
    wellIds: wellsOfEntity('FlaringAuthorization', a.entity_id),
  }));

  const deadlines: DeadlineItem[] = [];
  for (const d of deadlineEntities) {
    const due = dateOf(d.properties.due_date);
    const status = text(d.properties.status)?.toLowerCase() ?? 'open';
    if (!due || CLOSED_DEADLINE.has(status)) continue;
    deadlines.push({
      label: 'ComplianceDeadline',
      id: d.entity_id,
      kind: text(d.properties.deadline_type) ?? 'deadline',
      title: text(d.properties.title) ?? `Deadline ${d.entity_id}`,
      dueDate: due,
      status,
      wellIds: wellsOfEntity('ComplianceDeadline', d.entity_id),
    });
  }
  for (const a of authorizations) {
    const entity = authEntities.find((e) => e.entity_id === a.id)!;
    if (!a.expiryDate || a.status === 'pending' || a.status === 'denied' || a.status === 'withdrawn')
      continue;
    deadlines.push({
      label: 'FlaringAuthorization',
      id: a.id,
      kind: 'R-32 authorisation expiry',
      title: `Rule 32 authorisation ${text(entity.properties.authorization_number) ?? a.id} expiry`,
      dueDate: a.expiryDate,
      status: a.status,
      wellIds: a.wellIds,
    });
  }
  for (const p of permits) {
    const expiry = dateOf(p.properties.expiration_date) ?? dateOf(p.properties.expiry_date);
    const status = text(p.properties.status)?.toLowerCase() ?? 'approved';
    if (!expiry || status === 'expired' || status === 'cancelled' || status === 'used') continue;
    deadlines.push({
      label: 'Permit',
      id: p.entity_id,
      kind: `${text(p.properties.permit_type) ?? 'permit'} expiry`,
      title: `Permit ${text(p.properties.permit_number) ?? p.entity_id} expiry`,
      dueDate: expiry,
      status,
      wellIds: wellsOfEntity('Permit', p.entity_id),
    });
  }
  return {
    asOf,
    wells: infos,
    authorizations,
    deadlines: includeUnlinked ? deadlines : deadlines.filter((d) => d.wellIds.length > 0),
  };
}
