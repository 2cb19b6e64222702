import type { EdgeView, EntityView, GraphCaller, KnowledgeGraphClient, Label } from '@aegis/graph-client';
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
import { PROPS } from '../domain/production';

/** Which wells a calculation looks at: named wells, one operator's (OPERATED_BY), or all the tenant's. */
export type Scope = { wellIds: string[] } | { operatorId: string } | { all: true };

/** At most this many graph requests in flight for one calculation. */
const PARALLEL = 8;

export async function mapLimit<T, R>(items: readonly T[], fn: (t: T) => Promise<R>): Promise<R[]> {
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

/** A function of a key computed once (the promise is shared by concurrent callers). */
function memo<R>(fn: (key: string) => Promise<R>): (key: string) => Promise<R> {
  const cache = new Map<string, Promise<R>>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = fn(key)));
    return hit;
  };
}

function productionOf(well: EntityView): ProductionRecord[] {
  const raw = well.properties.production;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((r): r is ProductionRecord => !!r && typeof r === 'object' && typeof r.period === 'string')
    .sort((a, b) => (a.period < b.period ? -1 : 1));
}

/** The wells of a scope, as the graph holds them (with their production). */
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

/**
 * Reads what the calculations need about `wells` through the graph's API. The cost follows the
 * tenant's obligations, not its wells: the tenant's authorisations, permits, deadlines and fields are
 * listed, and each open one's edges say which wells it concerns: AUTHORIZES / APPLIES_TO a well, or a
 * lease (its wells are ON_LEASE), a deadline on an authorisation or permit concerns the wells those
 * cover; a field with rules (an allowable or a GOR limit) applies to the wells IN_FIELD of it,
 * directly or through their lease. `includeUnlinked` keeps deadlines linked to no well in scope (a
 * tenant-wide deadline report).
 */
export async function loadPortfolio(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  wells: readonly EntityView[],
  asOf: string,
  includeUnlinked: boolean,
): Promise<Portfolio> {
  const inScope = new Set(wells.map((w) => w.entity_id));
  const [authEntities, permits, deadlineEntities, fields] = await Promise.all([
    kg.listEntities(caller, 'FlaringAuthorization'),
    kg.listEntities(caller, 'Permit'),
    kg.listEntities(caller, 'ComplianceDeadline'),
    kg.listEntities(caller, 'Field'),
  ]);

  const edges = (label: Label, id: string, direction: 'in' | 'out', relType: string) =>
    kg.edgesOf(caller, label, id, { direction, relType });
  const leaseWells = memo(async (leaseId) =>
    (await edges('Lease', leaseId, 'in', 'ON_LEASE'))
      .filter((e) => e.from_label === 'Well')
      .map((e) => e.from_id),
  );
  /** The wells an edge's far end is, or holds: a well, or a lease's wells. */
  const wellsAt = async (label: string, id: string): Promise<string[]> =>
    label === 'Well' ? [id] : label === 'Lease' ? leaseWells(id) : [];
  const covered = memo(async (key) => {
    const [label, id] = key.split('|') as [Label, string];
    const out = await edges(label, id, 'out', 'AUTHORIZES');
    return (await Promise.all(out.map((e) => wellsAt(e.to_label, e.to_id)))).flat();
  });
  const deadlineWells = async (id: string): Promise<string[]> => {
    const targets: EdgeView[] = await edges('ComplianceDeadline', id, 'out', 'APPLIES_TO');
    const lists = await Promise.all(
      targets.map((e) =>
        e.to_label === 'FlaringAuthorization' || e.to_label === 'Permit'
          ? covered(`${e.to_label}|${e.to_id}`)
          : wellsAt(e.to_label, e.to_id),
      ),
    );
    return lists.flat();
  };
  const scoped = (ids: string[]) => [...new Set(ids.filter((id) => inScope.has(id)))].sort();

  const openDeadlines = deadlineEntities.filter((d) => {
    const status = text(d.properties.status)?.toLowerCase() ?? 'open';
    return dateOf(d.properties.due_date) !== undefined && !CLOSED_DEADLINE.has(status);
  });
  const expiringPermits = permits.filter((p) => permitExpiry(p) !== undefined && permitOpen(p));
  const ruledFields = fields.filter(
    (f) =>
      num(f.properties[PROPS.allowable]) !== undefined || num(f.properties[PROPS.gorLimit]) !== undefined,
  );

  const [authWells, permitWells, dlWells, fieldWells] = await Promise.all([
    mapLimit(authEntities, (a) => covered(`FlaringAuthorization|${a.entity_id}`)),
    mapLimit(expiringPermits, (p) => covered(`Permit|${p.entity_id}`)),
    mapLimit(openDeadlines, (d) => deadlineWells(d.entity_id)),
    mapLimit(ruledFields, async (f) => {
      const inField = await edges('Field', f.entity_id, 'in', 'IN_FIELD');
      return (await Promise.all(inField.map((e) => wellsAt(e.from_label, e.from_id)))).flat();
    }),
  ]);

  const fieldOf = new Map<string, EntityView>();
  ruledFields.forEach((f, i) => {
    for (const w of fieldWells[i]) if (!fieldOf.has(w)) fieldOf.set(w, f);
  });
  const infos: WellInfo[] = wells.map((w) => {
    const field = fieldOf.get(w.entity_id);
    return {
      id: w.entity_id,
      name: text(w.properties.name),
      status: text(w.properties.status)?.toLowerCase() ?? null,
      wellType: text(w.properties.well_type)?.toLowerCase() ?? null,
      properties: w.properties,
      field: field ? { id: field.entity_id, properties: field.properties } : null,
      production: productionOf(w),
    };
  });

  const authorizations: AuthorizationInfo[] = authEntities.map((a, i) => ({
    id: a.entity_id,
    status: text(a.properties.status)?.toLowerCase() ?? 'approved',
    effectiveDate: dateOf(a.properties.effective_date),
    expiryDate: dateOf(a.properties.expiry_date),
    maxMcfPerDay: num(a.properties.max_volume_mcf_per_day),
    wellIds: scoped(authWells[i]),
  }));

  const deadlines: DeadlineItem[] = openDeadlines.map((d, i) => ({
    label: 'ComplianceDeadline',
    id: d.entity_id,
    kind: text(d.properties.deadline_type) ?? 'deadline',
    title: text(d.properties.title) ?? `Deadline ${d.entity_id}`,
    dueDate: dateOf(d.properties.due_date)!,
    status: text(d.properties.status)?.toLowerCase() ?? 'open',
    wellIds: scoped(dlWells[i]),
  }));
  authEntities.forEach((entity, i) => {
    const a = authorizations[i];
    if (!a.expiryDate || ['pending', 'denied', 'withdrawn'].includes(a.status)) return;
    deadlines.push({
      label: 'FlaringAuthorization',
      id: a.id,
      kind: 'R-32 authorisation expiry',
      title: `Rule 32 authorisation ${text(entity.properties.authorization_number) ?? a.id} expiry`,
      dueDate: a.expiryDate,
      status: a.status,
      wellIds: a.wellIds,
    });
  });
  expiringPermits.forEach((p, i) => {
    deadlines.push({
      label: 'Permit',
      id: p.entity_id,
      kind: `${text(p.properties.permit_type) ?? 'permit'} expiry`,
      title: `Permit ${text(p.properties.permit_number) ?? p.entity_id} expiry`,
      dueDate: permitExpiry(p)!,
      status: text(p.properties.status)?.toLowerCase() ?? 'approved',
      wellIds: scoped(permitWells[i]),
    });
  });
  return {
    asOf,
    wells: infos,
    authorizations,
    deadlines: includeUnlinked ? deadlines : deadlines.filter((d) => d.wellIds.length > 0),
  };
}

const permitExpiry = (p: EntityView) =>
  dateOf(p.properties.expiration_date) ?? dateOf(p.properties.expiry_date);
const permitOpen = (p: EntityView) =>
  !['expired', 'cancelled', 'used'].includes(text(p.properties.status)?.toLowerCase() ?? 'approved');
