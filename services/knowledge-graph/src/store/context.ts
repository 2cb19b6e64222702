import type { GraphDb } from './schema';
import { addDays, daysBetween, deadlineLevel } from '../domain/dates';
import type { NodeRef } from '../domain/traversal';
import type { EntityView } from './entities';
import { distinctEntities, neighbours } from './neighbours';
import { findWell, offsetWells } from './templates';

export interface ContextOptions {
  today: string;
  flaringDays: number;
  offsetRadiusFt: number;
}

const ref = (e: EntityView): NodeRef => ({ label: e.label, id: e.entity_id });
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** GET /context/assemble/{well_api}: everything an agent needs about one well, in one document. */
export async function assembleContext(db: GraphDb, tenant: string, wellApi: string, options: ContextOptions) {
  const well = await findWell(db, tenant, wellApi);
  const around = await neighbours(db, tenant, [ref(well)]);
  const lease = distinctEntities(around, 'Lease')[0] ?? null;
  const aroundLease = lease ? await neighbours(db, tenant, [ref(lease)]) : [];
  const field = distinctEntities(around, 'Field')[0] ?? distinctEntities(aroundLease, 'Field')[0] ?? null;
  const operator =
    distinctEntities(around, 'Operator')[0] ?? distinctEntities(aroundLease, 'Operator')[0] ?? null;
  const permits = distinctEntities(around, 'Permit');
  const authorizations = distinctEntities([...around, ...aroundLease], 'FlaringAuthorization').map((a) => {
    const valid =
      str(a.properties.effective_date) <= options.today &&
      str(a.properties.expiry_date) >= options.today &&
      ['approved', 'active', ''].includes(str(a.properties.status));
    return {
      ...a,
      valid_today: valid,
      days_remaining: a.properties.expiry_date
        ? daysBetween(options.today, str(a.properties.expiry_date))
        : null,
    };
  });
  const since = addDays(options.today, -options.flaringDays);
  const events = distinctEntities(around, 'FlaringEvent')
    .filter((e) => str(e.properties.event_date) >= since && str(e.properties.event_date) <= options.today)
    .sort((a, b) => (str(b.properties.event_date) > str(a.properties.event_date) ? 1 : -1));
  const volume = events.reduce(
    (sum, e) => sum + (typeof e.properties.volume_mcf === 'number' ? e.properties.volume_mcf : 0),
    0,
  );
  const governed = [well, lease, field, operator, ...authorizations].filter(
    (e): e is EntityView => e !== null,
  );
  const upstream = await neighbours(db, tenant, governed.filter((e) => e !== well && e !== lease).map(ref), [
    'Regulation',
    'ComplianceDeadline',
  ]);
  const all = [...around, ...aroundLease, ...upstream];
  const regulations = distinctEntities(all, 'Regulation');
  const deadlines = distinctEntities(all, 'ComplianceDeadline')
    .filter((d) => !['completed', 'filed', 'cancelled'].includes(str(d.properties.status)))
    .map((d) => {
      const days = d.properties.due_date ? daysBetween(options.today, str(d.properties.due_date)) : null;
      return { ...d, days_until_due: days, level: days === null ? null : deadlineLevel(days) };
    });
  const offsets = await offsetWells({ db, tenant, today: options.today }, well, options.offsetRadiusFt, 50);
  return {
    well,
    lease,
    field,
    operator,
    permits,
    authorizations,
    recent_flaring: {
      since,
      days: options.flaringDays,
      events,
      event_count: events.length,
      total_volume_mcf: Math.round(volume * 100) / 100,
    },
    offset_wells: { radius_ft: options.offsetRadiusFt, wells: offsets },
    regulations,
    deadlines,
    other: distinctEntities(around).filter(
      (e) =>
        ![
          'Lease',
          'Field',
          'Operator',
          'Permit',
          'FlaringAuthorization',
          'FlaringEvent',
          'Regulation',
          'ComplianceDeadline',
        ].includes(e.label),
    ),
    as_of: options.today,
  };
}
