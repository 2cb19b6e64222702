import { isoDate, NotFoundError, resourceId, sql, type RawBuilder } from '@aegis/common';
import { z } from 'zod';
import { looksLikeApiNumber, normaliseApiNumber } from '../domain/api-number';
import { addDays, daysBetween, deadlineLevel } from '../domain/dates';
import { boundingBox, feetToMetres, haversineMetres, metresToFeet } from '../domain/geo';
import { LABELS, MAX_DEPTH, REL_TYPE_PATTERN } from '../domain/labels';
import { entityView, type EntityRow, type EntityView } from './entities';
import { distinctEntities, neighbours } from './neighbours';
import type { GraphDb } from './schema';
import { propNumber, propText } from './sql';

/** The whitelisted, parameterised query templates of POST /query. Each has a zod schema for its
 * params and runs fixed SQL with bound values, scoped to the caller's tenant. */

export interface TemplateContext {
  db: GraphDb;
  tenant: string;
  /** Today (UTC, YYYY-MM-DD) unless the params name `as_of`. */
  today: string;
}

export interface QueryTemplate<S extends z.ZodType = z.ZodType> {
  id: string;
  description: string;
  params: S;
  run(ctx: TemplateContext, params: z.infer<S>): Promise<unknown[]>;
}

/** The platform's calendar date (no 2026-02-30, 0000-00-00 or 2026-13-45) and entity id rule. */
const date = isoDate();
const id = resourceId();
/** The entity columns of alias `n`, as a typed select list and as SQL for the raw templates. */
const N = ['n.label', 'n.entity_id', 'n.properties', 'n.created_at', 'n.updated_at'] as const;
const E = sql.join(N.map((c) => sql.ref(c)));
const none = sql``;

const define = <S extends z.ZodType>(t: QueryTemplate<S>): QueryTemplate => t;

/** A well by entity id or API number (normalised); 404 when the tenant has no such well. */
export async function findWell(q: GraphDb, tenant: string, idOrApi: string): Promise<EntityView> {
  const candidates = [idOrApi];
  if (looksLikeApiNumber(idOrApi)) {
    const r = normaliseApiNumber(idOrApi);
    if (r.ok) candidates.unshift(r.value);
  }
  const wells = q.db
    .selectFrom('kg_entities as n')
    .select(N)
    .where('n.tenant_id', '=', tenant)
    .where('n.label', '=', 'Well');
  for (const c of candidates) {
    const row = await wells.where('n.entity_id', '=', c).executeTakeFirst();
    if (row) return entityView(row);
  }
  const byProp = await wells
    .where(propText(q.dialect, 'api_number', 'n'), '=', candidates[0])
    .limit(1)
    .executeTakeFirst();
  if (byProp) return entityView(byProp);
  throw new NotFoundError(`Well ${idOrApi} not found`, 'well_not_found');
}

/** Raw SQL (a recursive CTE) returning entity rows. */
async function entities(q: GraphDb, query: RawBuilder<EntityRow>): Promise<EntityView[]> {
  return (await query.execute(q.db)).rows.map(entityView);
}

/** The entities of one label of the tenant, as alias `n`, ready for more conditions. */
function entitiesOf(q: GraphDb, tenant: string, label: string) {
  return q.db
    .selectFrom('kg_entities as n')
    .select(N)
    .where('n.tenant_id', '=', tenant)
    .where('n.label', '=', label);
}

export async function offsetWells(ctx: TemplateContext, well: EntityView, radiusFt: number, limit: number) {
  const lat = well.properties.latitude;
  const lon = well.properties.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number') return [];
  const radiusM = feetToMetres(radiusFt);
  const box = boundingBox(lat, lon, radiusM);
  const rows = await ctx.db.db
    .selectFrom('kg_entities as n')
    .select([...N, 'n.latitude', 'n.longitude'])
    .where('n.tenant_id', '=', ctx.tenant)
    .where('n.latitude', '>=', box.minLat)
    .where('n.latitude', '<=', box.maxLat)
    .where('n.longitude', '>=', box.minLon)
    .where('n.longitude', '<=', box.maxLon)
    .where('n.label', '=', 'Well')
    .where('n.entity_id', '<>', well.entity_id)
    .execute();
  return rows
    .map((r) => ({ row: r, m: haversineMetres(lat, lon, Number(r.latitude), Number(r.longitude)) }))
    .filter((x) => x.m <= radiusM)
    .sort((a, b) => a.m - b.m || (a.row.entity_id < b.row.entity_id ? -1 : 1))
    .slice(0, limit)
    .map(({ row, m }) => ({
      ...entityView(row),
      distance_m: Math.round(m * 10) / 10,
      distance_ft: Math.round(metresToFeet(m) * 10) / 10,
    }));
}

const pathStep = z.union([
  z
    .string()
    .regex(REL_TYPE_PATTERN)
    .transform((rel_type) => ({ rel_type, direction: 'out' as const })),
  z.strictObject({
    rel_type: z.string().regex(REL_TYPE_PATTERN, { message: 'must be UPPER_SNAKE_CASE' }),
    direction: z.enum(['out', 'in', 'any']).default('out'),
  }),
]);

export const TEMPLATES: readonly QueryTemplate[] = [
  define({
    id: 'wells_by_operator',
    description: 'Wells with an OPERATED_BY edge to the operator.',
    params: z.strictObject({ operator_id: id }),
    run: async ({ db: q, tenant }, p) => {
      const rows = await q.db
        .selectFrom('kg_edges as e')
        .innerJoin('kg_entities as n', (j) =>
          j
            .onRef('n.tenant_id', '=', 'e.tenant_id')
            .onRef('n.label', '=', 'e.from_label')
            .onRef('n.entity_id', '=', 'e.from_id'),
        )
        .select(N)
        .where((eb) =>
          eb.and({
            'e.tenant_id': tenant,
            'e.to_label': 'Operator',
            'e.to_id': p.operator_id,
            'e.rel_type': 'OPERATED_BY',
            'e.from_label': 'Well',
          }),
        )
        .orderBy('n.entity_id')
        .execute();
      return rows.map(entityView);
    },
  }),
  define({
    id: 'offset_wells',
    description: 'Wells within radius_ft (great-circle) of a well, nearest first (Rule 37 offsets).',
    params: z.strictObject({
      well_id: z.string().min(1).max(200),
      radius_ft: z.number().positive().max(528_000).default(1320),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    run: async (ctx, p) =>
      offsetWells(ctx, await findWell(ctx.db, ctx.tenant, p.well_id), p.radius_ft, p.limit),
  }),
  define({
    id: 'authorizations_expiring',
    description: 'Flaring authorisations whose expiry_date falls within the next `days` days of as_of.',
    params: z.strictObject({ days: z.number().int().min(0).max(3650), as_of: date.optional() }),
    run: async ({ db, tenant, today }, p) => {
      const from = p.as_of ?? today;
      const expiry = propText(db.dialect, 'expiry_date', 'n');
      const rows = (
        await entitiesOf(db, tenant, 'FlaringAuthorization')
          .where(expiry, '>=', from)
          .where(expiry, '<=', addDays(from, p.days))
          .orderBy(expiry)
          .orderBy('n.entity_id')
          .execute()
      ).map(entityView);
      return rows.map((r) => ({ ...r, days_remaining: daysBetween(from, String(r.properties.expiry_date)) }));
    },
  }),
  define({
    id: 'flaring_without_authorization',
    description:
      'Flare events (optionally between from and to) whose well had no approved authorisation (of the well or its lease) valid on the event date.',
    params: z.strictObject({ from: date.optional(), to: date.optional() }),
    run: async ({ db, tenant }, p) => {
      const d = db.dialect;
      const evDate = propText(d, 'event_date', 'ev');
      let query = db.db
        .selectFrom('kg_entities as ev')
        .leftJoin('kg_edges as fe', (j) =>
          j
            .onRef('fe.tenant_id', '=', 'ev.tenant_id')
            .onRef('fe.from_id', '=', 'ev.entity_id')
            .on((eb) =>
              eb.and({ 'fe.from_label': 'FlaringEvent', 'fe.rel_type': 'FLARED_AT', 'fe.to_label': 'Well' }),
            ),
        )
        .where((eb) => eb.and({ 'ev.tenant_id': tenant, 'ev.label': 'FlaringEvent' }));
      if (p.from) query = query.where(evDate, '>=', p.from);
      if (p.to) query = query.where(evDate, '<=', p.to);
      const rows = await query
        .select((eb) => {
          // Authorisations of the event's well, or of a lease the well is ON_LEASE of (correlated on ev, fe).
          const auth = eb
            .selectFrom('kg_edges as ae')
            .innerJoin('kg_entities as a', (j) =>
              j
                .onRef('a.tenant_id', '=', 'ae.tenant_id')
                .onRef('a.label', '=', 'ae.from_label')
                .onRef('a.entity_id', '=', 'ae.from_id'),
            )
            .select(sql<number>`1`.as('one'))
            .whereRef('ae.tenant_id', '=', 'ev.tenant_id')
            .where((w) => w.and({ 'ae.from_label': 'FlaringAuthorization', 'ae.rel_type': 'AUTHORIZES' }))
            .where((w) =>
              w.or([
                w.and([w('ae.to_label', '=', 'Well'), w('ae.to_id', '=', w.ref('fe.to_id'))]),
                w.and([
                  w('ae.to_label', '=', 'Lease'),
                  w(
                    'ae.to_id',
                    'in',
                    w
                      .selectFrom('kg_edges as le')
                      .select('le.to_id')
                      .whereRef('le.tenant_id', '=', 'ev.tenant_id')
                      .whereRef('le.from_id', '=', 'fe.to_id')
                      .where((l) => l.and({ 'le.from_label': 'Well', 'le.rel_type': 'ON_LEASE' })),
                  ),
                ]),
              ]),
            );
          const valid = auth
            .where(propText(d, 'effective_date', 'a'), '<=', evDate)
            .where(propText(d, 'expiry_date', 'a'), '>=', evDate)
            .where(sql<string>`COALESCE(${propText(d, 'status', 'a')}, 'approved')`, 'in', [
              'approved',
              'active',
            ]);
          return [
            'ev.label',
            'ev.entity_id',
            'ev.properties',
            'ev.created_at',
            'ev.updated_at',
            'fe.to_id as well_id',
            eb.case().when(eb.exists(auth)).then(1).else(0).end().as('has_any'),
            eb.case().when(eb.exists(valid)).then(1).else(0).end().as('has_valid'),
          ];
        })
        .orderBy(evDate)
        .orderBy('ev.entity_id')
        .execute();
      return rows
        .filter((r) => Number(r.has_valid) === 0)
        .map((r) => ({
          ...entityView(r),
          well_id: r.well_id,
          reason:
            r.well_id === null
              ? 'no_well_linked'
              : Number(r.has_any)
                ? 'outside_authorization'
                : 'no_authorization',
        }));
    },
  }),
  define({
    id: 'connected_by_path',
    description:
      'Entities reached from an entity by following a relationship path: each step a rel_type and a direction (out, in, any).',
    params: z.strictObject({
      label: z.enum(LABELS),
      entity_id: id,
      path: z.array(pathStep).min(1).max(MAX_DEPTH),
      target_label: z.enum(LABELS).optional(),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
    run: async ({ db, tenant }, p) => {
      const steps = p.path.map(
        (s, i) => sql`(CAST(${i + 1} AS INTEGER), CAST(${s.rel_type} AS TEXT), CAST(${s.direction} AS TEXT))`,
      );
      const values = steps.reduce((acc, s, i) => (i === 0 ? s : sql`${acc}, ${s}`));
      const fromSide = sql`e.from_label = w.label AND e.from_id = w.entity_id`;
      const toSide = sql`e.to_label = w.label AND e.to_id = w.entity_id`;
      const f = sql<EntityRow>`WITH RECURSIVE steps(idx, rel_type, dir) AS (VALUES ${values}),
walk(label, entity_id, step) AS (
  SELECT CAST(${p.label} AS TEXT), CAST(${p.entity_id} AS TEXT), 0
  UNION
  SELECT CASE WHEN s.dir <> 'in' AND ${fromSide} THEN e.to_label ELSE e.from_label END,
         CASE WHEN s.dir <> 'in' AND ${fromSide} THEN e.to_id ELSE e.from_id END, w.step + 1
  FROM walk w JOIN steps s ON s.idx = w.step + 1
  JOIN kg_edges e ON e.tenant_id = ${tenant} AND e.rel_type = s.rel_type
    AND ((s.dir <> 'in' AND ${fromSide}) OR (s.dir <> 'out' AND ${toSide}))
)
SELECT DISTINCT ${E} FROM walk w JOIN kg_entities n ON n.tenant_id = ${tenant} AND n.label = w.label AND n.entity_id = w.entity_id
WHERE w.step = ${p.path.length}${p.target_label ? sql` AND n.label = ${p.target_label}` : none}
ORDER BY n.label, n.entity_id LIMIT ${p.limit}`;
      return entities(db, f);
    },
  }),
  define({
    id: 'permits_of_well',
    description: 'Permits linked to a well (any relationship, either direction).',
    params: z.strictObject({ well_id: z.string().min(1).max(200) }),
    run: async ({ db, tenant }, p) => {
      const well = await findWell(db, tenant, p.well_id);
      return distinctEntities(
        await neighbours(db, tenant, [{ label: 'Well', id: well.entity_id }], ['Permit']),
      );
    },
  }),
  define({
    id: 'deadlines_due_within',
    description:
      'Open compliance deadlines due within `days` days of as_of (overdue ones included unless include_overdue is false), with alert levels.',
    params: z.strictObject({
      days: z.number().int().min(0).max(3650),
      as_of: date.optional(),
      include_overdue: z.boolean().default(true),
    }),
    run: async ({ db, tenant, today }, p) => {
      const from = p.as_of ?? today;
      const due = propText(db.dialect, 'due_date', 'n');
      const status = propText(db.dialect, 'status', 'n');
      let query = entitiesOf(db, tenant, 'ComplianceDeadline').where(due, '<=', addDays(from, p.days));
      if (!p.include_overdue) query = query.where(due, '>=', from);
      const rows = (
        await query
          .where(sql<string>`COALESCE(${status}, 'open')`, 'not in', ['completed', 'filed', 'cancelled'])
          .orderBy(due)
          .orderBy('n.entity_id')
          .execute()
      ).map(entityView);
      return rows.map((r) => {
        const days = daysBetween(from, String(r.properties.due_date));
        return { ...r, days_until_due: days, level: deadlineLevel(days) };
      });
    },
  }),
  define({
    id: 'wells_in_field',
    description: 'Wells in a field: IN_FIELD directly, or ON_LEASE of a lease IN_FIELD.',
    params: z.strictObject({ field_id: id }),
    run: async ({ db, tenant }, p) => {
      const direct = db.db
        .selectFrom('kg_edges as e')
        .select('e.from_id')
        .where((eb) =>
          eb.and({
            'e.tenant_id': tenant,
            'e.to_label': 'Field',
            'e.to_id': p.field_id,
            'e.rel_type': 'IN_FIELD',
          }),
        )
        .where('e.from_label', '=', 'Well');
      const viaLease = db.db
        .selectFrom('kg_edges as lf')
        .innerJoin('kg_edges as wl', (j) =>
          j
            .onRef('wl.tenant_id', '=', 'lf.tenant_id')
            .onRef('wl.to_id', '=', 'lf.from_id')
            .on((eb) =>
              eb.and({ 'wl.to_label': 'Lease', 'wl.rel_type': 'ON_LEASE', 'wl.from_label': 'Well' }),
            ),
        )
        .select('wl.from_id')
        .where((eb) =>
          eb.and({
            'lf.tenant_id': tenant,
            'lf.to_label': 'Field',
            'lf.to_id': p.field_id,
            'lf.rel_type': 'IN_FIELD',
          }),
        )
        .where('lf.from_label', '=', 'Lease');
      const rows = await entitiesOf(db, tenant, 'Well')
        .where('n.entity_id', 'in', direct.union(viaLease))
        .orderBy('n.entity_id')
        .execute();
      return rows.map(entityView);
    },
  }),
  define({
    id: 'wells_spudded_after',
    description: 'Wells spudded after a date (default 2021-11-15: subject to EPA NSPS OOOOb).',
    params: z.strictObject({ date: date.default('2021-11-15') }),
    run: async ({ db, tenant }, p) => {
      const spud = propText(db.dialect, 'spud_date', 'n');
      const rows = await entitiesOf(db, tenant, 'Well')
        .where(spud, '>', p.date)
        .orderBy(spud)
        .orderBy('n.entity_id')
        .execute();
      return rows.map(entityView);
    },
  }),
  define({
    id: 'flaring_volume_by_well',
    description: 'Total flared volume (mcf) and event count per well for events between from and to.',
    params: z.strictObject({ from: date, to: date }),
    run: async ({ db, tenant }, p) => {
      const evDate = propText(db.dialect, 'event_date', 'ev');
      const rows = await db.db
        .selectFrom('kg_entities as ev')
        .innerJoin('kg_edges as fe', (j) =>
          j
            .onRef('fe.tenant_id', '=', 'ev.tenant_id')
            .onRef('fe.from_id', '=', 'ev.entity_id')
            .on((eb) =>
              eb.and({ 'fe.from_label': 'FlaringEvent', 'fe.rel_type': 'FLARED_AT', 'fe.to_label': 'Well' }),
            ),
        )
        .select((eb) => [
          'fe.to_id as well_id',
          eb.fn.countAll<number>().as('events'),
          eb.fn.sum<number | null>(propNumber(db.dialect, 'volume_mcf', 'ev')).as('volume_mcf'),
        ])
        .where((eb) => eb.and({ 'ev.tenant_id': tenant, 'ev.label': 'FlaringEvent' }))
        .where(evDate, '>=', p.from)
        .where(evDate, '<=', p.to)
        .groupBy('fe.to_id')
        .orderBy('fe.to_id')
        .execute();
      return rows.map((r) => ({
        well_id: r.well_id,
        events: Number(r.events),
        volume_mcf: Number(r.volume_mcf ?? 0),
      }));
    },
  }),
];

export const TEMPLATE_IDS = TEMPLATES.map((t) => t.id);

export function templateById(templateId: string): QueryTemplate | undefined {
  return TEMPLATES.find((t) => t.id === templateId);
}
