import {
  isoDateTime,
  isUniqueViolation,
  listEnvelope,
  listQuerySchema,
  toListParams,
  ValidationError,
  type ServiceApi,
} from '@aegis/common';
import { z } from 'zod';
import { nowIso, type EventsDeps } from './deps';
import { validateEventData, type EventType } from './event-types';
import { graphCaller } from '../routes/context';
import { correlateInput } from '../routes/schemas';
import { addCorrelations } from './correlation';
import {
  createEvent,
  idempotencyConflict,
  EVENT_SORTABLE,
  EVENT_STATUSES,
  listEvents,
  requireEvent,
  saveEvent,
} from './events-store';
import type { EventsDb } from './schema';
import { findEventType, requireEventType } from './types-store';
import { entityRefSchema, eventListSchema, eventPath, eventSchema, eventTime, idempotencyKey } from './views';
import { queryPeriod } from './views';

const listOptions = { sortable: EVENT_SORTABLE, defaultSort: 'occurred_at', defaultDir: 'desc' } as const;
const data = z.record(z.string(), z.unknown());

const createBody = z.strictObject({
  event_type: z.string().min(1).max(100),
  entity: entityRefSchema.optional(),
  occurred_at: eventTime.optional(),
  data: data.default({}),
  idempotency_key: idempotencyKey.optional(),
  status: z.enum(EVENT_STATUSES).default('open'),
});

const patchBody = z
  .strictObject({
    entity: entityRefSchema.nullable().optional(),
    occurred_at: eventTime.optional(),
    data: data.optional(),
    status: z.enum(EVENT_STATUSES).optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'must change at least one field' })
  .meta({ minProperties: 1 });

/** The active type an event names, or a 422 on `body.event_type` (unknown, draft or deprecated). */
async function activeType(db: EventsDb, tenant: string, key: string): Promise<EventType> {
  const t = await findEventType(db, tenant, key);
  if (!t || t.key !== key) throw ValidationError.single(['body', 'event_type'], `unknown event type ${key}`);
  if (t.status !== 'active')
    throw ValidationError.single(['body', 'event_type'], `event type ${key} is ${t.status}, not active`);
  return t;
}

function validateData(t: EventType, values: Record<string, unknown>): void {
  const issues = validateEventData(t, values);
  if (issues.length) throw new ValidationError(issues);
}

/** Operational events: recorded against an active type, deduplicated, appended to the stream. */
export function eventRoutes(api: ServiceApi, deps: EventsDeps): void {
  const routes = api.group({ tags: ['events'] });

  routes.route({
    method: 'get',
    path: '/events',
    summary: 'Operational events, newest first by default',
    roles: 'any',
    query: listQuerySchema(listOptions).extend({
      event_type: z.string().max(100).optional(),
      entity_id: z.string().max(200).optional(),
      status: z.enum(EVENT_STATUSES).optional(),
      from: isoDateTime().optional().describe('occurred_at ≥ from'),
      to: isoDateTime().optional().describe('occurred_at ≤ to'),
    }),
    responses: { 200: eventListSchema },
    handler: async (_ctx, { query, tenant }) => {
      const { from, to } = queryPeriod(query);
      const params = toListParams(query, listOptions);
      const { rows, total } = await listEvents(
        deps.store,
        tenant,
        { event_type: query.event_type, entity_id: query.entity_id, status: query.status, from, to },
        params,
      );
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'post',
    path: '/events',
    summary: 'Record an operational event (409 duplicate_event for a repeated submission)',
    description:
      'The data is validated against the active type’s fields (422 naming `data.<field>`). A submission with an `Idempotency-Key` header or `idempotency_key` already used, or with the same type, entity, time and data as an event recorded within the dedup window, is a 409 `duplicate_event` naming the existing event.',
    roles: ['operator'],
    body: createBody,
    responses: { 201: eventSchema },
    errors: [409],
    handler: async (ctx, { body, identity, tenant }) => {
      const header = ctx.get('idempotency-key') || undefined;
      if (header !== undefined && !idempotencyKey.safeParse(header).success)
        throw ValidationError.single(['header', 'Idempotency-Key'], 'must be 1-200 characters');
      if (header !== undefined && body.idempotency_key !== undefined && header !== body.idempotency_key)
        throw ValidationError.single(['body', 'idempotency_key'], 'differs from the Idempotency-Key header');
      const key = header ?? body.idempotency_key ?? null;
      const created = await deps.store
        .transaction(async (tx: EventsDb) => {
          const t = await activeType(tx, tenant, body.event_type);
          validateData(t, body.data);
          return createEvent(
            tx,
            tenant,
            {
              event_type: t.key,
              entity: body.entity ?? null,
              occurred_at: body.occurred_at ?? nowIso(deps),
              data: body.data,
              idempotency_key: key,
              status: body.status,
              created_by: identity.userId,
            },
            { now: deps.now(), dedupWindowMs: deps.dedupWindowMs },
          );
        })
        .catch(async (err: unknown) => {
          // Two submissions with one key raced: the unique index let one in; the other is its duplicate.
          const conflict = isUniqueViolation(err)
            ? await idempotencyConflict(deps.store, tenant, key)
            : undefined;
          throw conflict ?? err;
        });
      deps.onStreamed?.();
      ctx.set('Location', `/events/${created.event_id}`);
      return created;
    },
  });

  routes.route({
    method: 'get',
    path: '/events/{id}',
    summary: 'Read an operational event',
    roles: 'any',
    params: eventPath,
    responses: { 200: eventSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => requireEvent(deps.store, tenant, params.id),
  });

  routes.route({
    method: 'patch',
    path: '/events/{id}',
    summary: 'Change an event’s status, entity, time or data (data re-validated against its type)',
    roles: ['operator'],
    params: eventPath,
    body: patchBody,
    responses: { 200: eventSchema },
    errors: [404],
    handler: async (_ctx, { params, body, tenant }) =>
      deps.store.transaction(async (tx: EventsDb) => {
        const e = await requireEvent(tx, tenant, params.id);
        if (body.data !== undefined)
          validateData(await requireEventType(tx, tenant, e.event_type), body.data);
        return saveEvent(
          tx,
          tenant,
          {
            ...e,
            entity: body.entity === undefined ? e.entity : body.entity,
            occurred_at:
              body.occurred_at === undefined ? e.occurred_at : new Date(body.occurred_at).toISOString(),
            data: body.data ?? e.data,
            status: body.status ?? e.status,
          },
          nowIso(deps),
        );
      }),
  });

  routes.route({
    method: 'post',
    path: '/events/{id}/correlate',
    summary: 'Correlate an event with flare events, other events or knowledge-graph entities',
    roles: ['operator'],
    params: eventPath,
    body: correlateInput,
    responses: { 200: eventSchema },
    errors: [404],
    handler: async (ctx, { params, body, identity, tenant }) =>
      deps.store.transaction(async (tx: EventsDb) => {
        const e = await requireEvent(tx, tenant, params.id);
        const at = nowIso(deps);
        const correlated = await addCorrelations(
          { store: tx, kg: deps.kg },
          graphCaller(ctx, tenant),
          tenant,
          { kind: 'event', id: e.event_id },
          e.correlated,
          body,
          identity.userId,
          at,
        );
        return saveEvent(tx, tenant, { ...e, correlated }, at);
      }),
  });
}
