import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  listEnvelopeSchema,
  listInMemory,
  listQuerySchema,
  NotFoundError,
  toListParams,
  ValidationError,
  type ServiceApi,
} from '@aegis/common';
import { z } from 'zod';
import { nowIso, type EventsDeps } from './deps';
import {
  canTransition,
  eventTypeCreateSchema,
  eventTypePatchSchema,
  fieldCreateSchema,
  fieldIssues,
  fieldPatchSchema,
  patchField,
  renumber,
  reorderIssue,
  transitionSchema,
  type EventField,
  type EventType,
} from './event-types';
import type { EventsDb } from './schema';
import { checkTypeChange, checkTypeDelete } from './type-changes';
import {
  createEventType,
  deleteEventType,
  listEventTypes,
  requireEditableType,
  requireEventType,
  saveEventType,
} from './types-store';
import { eventFieldSchema, eventTypeSchema, fieldPath, typePath } from './views';

const typeOptions = {
  sortable: ['key', 'name', 'status', 'created_at'] as const,
  defaultSort: 'key',
} as const;

/** The API view of a type (without its internal version). */
export function eventTypeView(t: EventType): z.output<typeof eventTypeSchema> {
  const { version: _version, ...view } = t;
  return view;
}

function newField(f: z.output<typeof fieldCreateSchema>, position: number): EventField {
  return { field_id: `fld-${randomUUID()}`, ...f, position };
}

function fieldIndex(t: EventType, fieldId: string): number {
  const i = t.fields.findIndex((f) => f.field_id === fieldId);
  if (i < 0) throw new NotFoundError(`Field ${fieldId} not found`, 'field_not_found');
  return i;
}

function refuseTakenName(t: EventType, name: string, except?: string): void {
  if (t.fields.some((f) => f.name === name && f.field_id !== except))
    throw new ConflictError(`Field ${name} already exists`, 'field_exists');
}

/** Event types and their fields (admins write; any role reads). */
export function eventTypeRoutes(api: ServiceApi, deps: EventsDeps): void {
  const routes = api.group({ tags: ['event types'] });
  /** Reads a stored type, changes it, checks the change against recorded events and saves it, in
   * one transaction (built-ins 409, unknown 404). */
  const changeType = (tenant: string, ref: string, change: (t: EventType) => EventType) =>
    deps.store.transaction(async (tx: EventsDb) => {
      const before = await requireEditableType(tx, tenant, ref);
      const after = change(before);
      await checkTypeChange(tx, tenant, before, after);
      return saveEventType(tx, tenant, after, nowIso(deps));
    });

  routes.route({
    method: 'get',
    path: '/event-types',
    summary: 'Event types (built-in and the tenant’s own)',
    roles: 'any',
    query: listQuerySchema(typeOptions).extend({
      status: z.enum(['draft', 'active', 'deprecated']).optional(),
    }),
    responses: { 200: listEnvelopeSchema(eventTypeSchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, typeOptions);
      const all = (await listEventTypes(deps.store, tenant)).filter(
        (t) => query.status === undefined || t.status === query.status,
      );
      return listInMemory(all.map(eventTypeView), params);
    },
  });

  routes.route({
    method: 'post',
    path: '/event-types',
    summary: 'Create an event type (starts as draft)',
    roles: ['admin'],
    body: eventTypeCreateSchema,
    responses: { 201: eventTypeSchema },
    errors: [409],
    handler: async (ctx, { body, tenant }) => {
      const created = await deps.store.transaction((tx: EventsDb) =>
        createEventType(
          tx,
          tenant,
          {
            key: body.key,
            name: body.name,
            description: body.description ?? null,
            fields: body.fields.map((f, i) => newField(f, i)),
          },
          nowIso(deps),
        ),
      );
      ctx.set('Location', `/event-types/${created.type_id}`);
      return eventTypeView(created);
    },
  });

  routes.route({
    method: 'get',
    path: '/event-types/{id}',
    summary: 'Read an event type',
    roles: 'any',
    params: typePath,
    responses: { 200: eventTypeSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) =>
      eventTypeView(await requireEventType(deps.store, tenant, params.id)),
  });

  routes.route({
    method: 'patch',
    path: '/event-types/{id}',
    summary: 'Rename or describe a type (the key only while draft)',
    roles: ['admin'],
    params: typePath,
    body: eventTypePatchSchema,
    responses: { 200: eventTypeSchema },
    errors: [404, 409],
    handler: async (_ctx, { params, body, tenant }) =>
      eventTypeView(
        await changeType(tenant, params.id, (t) => ({
          ...t,
          key: body.key ?? t.key,
          name: body.name ?? t.name,
          description: body.description === undefined ? t.description : body.description,
        })),
      ),
  });

  routes.route({
    method: 'delete',
    path: '/event-types/{id}',
    summary: 'Delete a type no event uses',
    roles: ['admin'],
    params: typePath,
    responses: { 204: null },
    errors: [404, 409],
    handler: async (_ctx, { params, tenant }) => {
      await deps.store.transaction(async (tx: EventsDb) => {
        const t = await requireEditableType(tx, tenant, params.id);
        await checkTypeDelete(tx, tenant, t);
        await deleteEventType(tx, tenant, t);
      });
    },
  });

  routes.route({
    method: 'post',
    path: '/event-types/{id}/transition',
    summary: 'Move a type along its lifecycle: draft → active → deprecated',
    roles: ['admin'],
    params: typePath,
    body: transitionSchema,
    responses: { 200: eventTypeSchema },
    errors: [404, 409],
    handler: async (_ctx, { params, body, tenant }) =>
      eventTypeView(
        await changeType(tenant, params.id, (t) => {
          if (!canTransition(t.status, body.status))
            throw new ConflictError(
              `Event type ${t.key} cannot move from ${t.status} to ${body.status}`,
              'illegal_transition',
            );
          return { ...t, status: body.status };
        }),
      ),
  });

  routes.route({
    method: 'get',
    path: '/event-types/{id}/fields',
    summary: 'The fields of a type, in position order',
    roles: 'any',
    params: typePath,
    responses: { 200: z.object({ data: z.array(eventFieldSchema), total: z.number().int() }) },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      const t = await requireEventType(deps.store, tenant, params.id);
      return { data: t.fields, total: t.fields.length };
    },
  });

  routes.route({
    method: 'post',
    path: '/event-types/{id}/fields',
    summary: 'Add a field (at the end)',
    roles: ['admin'],
    params: typePath,
    body: fieldCreateSchema,
    responses: { 201: eventFieldSchema },
    errors: [404, 409],
    handler: async (_ctx, { params, body, tenant }) => {
      let added: EventField | undefined;
      await changeType(tenant, params.id, (t) => {
        refuseTakenName(t, body.name);
        added = newField(body, t.fields.length);
        return { ...t, fields: [...t.fields, added] };
      });
      return added;
    },
  });

  routes.route({
    method: 'patch',
    path: '/event-types/{id}/fields/{field_id}',
    summary: 'Change a field (null clears description, min, max)',
    roles: ['admin'],
    params: fieldPath,
    body: fieldPatchSchema,
    responses: { 200: eventFieldSchema },
    errors: [404, 409],
    handler: async (_ctx, { params, body, tenant }) => {
      let changed: EventField | undefined;
      await changeType(tenant, params.id, (t) => {
        const i = fieldIndex(t, params.field_id);
        changed = patchField(t.fields[i], body);
        const issues = fieldIssues(changed);
        if (issues.length)
          throw new ValidationError(
            issues.map((x) => ({ loc: ['body', x.path], msg: x.message, type: 'value_error' })),
          );
        refuseTakenName(t, changed.name, changed.field_id);
        return { ...t, fields: t.fields.map((f, j) => (j === i ? changed! : f)) };
      });
      return changed;
    },
  });

  routes.route({
    method: 'delete',
    path: '/event-types/{id}/fields/{field_id}',
    summary: 'Remove a field (409 when recorded events carry it)',
    roles: ['admin'],
    params: fieldPath,
    responses: { 204: null },
    errors: [404, 409],
    handler: async (_ctx, { params, tenant }) => {
      await changeType(tenant, params.id, (t) => {
        const i = fieldIndex(t, params.field_id);
        return { ...t, fields: renumber(t.fields.filter((_f, j) => j !== i)) };
      });
    },
  });

  routes.route({
    method: 'put',
    path: '/event-types/{id}/fields/reorder',
    summary: 'Reorder the fields: a permutation of all their ids',
    roles: ['admin'],
    params: typePath,
    body: z.strictObject({ field_ids: z.array(z.string().max(200)).max(100) }),
    responses: { 200: z.object({ data: z.array(eventFieldSchema), total: z.number().int() }) },
    errors: [404, 409],
    handler: async (_ctx, { params, body, tenant }) => {
      const saved = await changeType(tenant, params.id, (t) => {
        const issue = reorderIssue(t.fields, body.field_ids);
        if (issue) throw ValidationError.single(['body', 'field_ids'], issue);
        const byId = new Map(t.fields.map((f) => [f.field_id, f]));
        return { ...t, fields: renumber(body.field_ids.map((id) => byId.get(id)!)) };
      });
      return { data: saved.fields, total: saved.fields.length };
    },
  });
}
