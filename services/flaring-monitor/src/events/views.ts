import { isoDateTime, listEnvelopeSchema, resourceId, ValidationError } from '@aegis/common';
import { z } from 'zod';
import { EVENT_FIELD_TYPES, EVENT_TYPE_STATUSES } from './event-types';
import { correlationSchema } from '../routes/schemas';
import { EVENT_STATUSES } from './events-store';

/** Response shapes and path parameters of the event and event-type routes (schemas with an `id`
 * become components of the OpenAPI document). */

const timestamp = z.string().describe('ISO 8601 date-time (UTC)');

export const eventFieldSchema = z
  .object({
    field_id: z.string(),
    name: z.string(),
    type: z.enum(EVENT_FIELD_TYPES),
    required: z.boolean(),
    description: z.string().optional(),
    values: z.array(z.string()).optional(),
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    position: z.number().int(),
  })
  .meta({ id: 'EventField' });

export const eventTypeSchema = z
  .object({
    type_id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(EVENT_TYPE_STATUSES),
    built_in: z.boolean(),
    fields: z.array(eventFieldSchema),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'EventType' });

export const entityRefSchema = z
  .strictObject({ label: z.string().min(1).max(100), id: resourceId() })
  .meta({ id: 'EntityRef' });

export const eventSchema = z
  .object({
    event_id: z.string(),
    event_type: z.string(),
    entity: entityRefSchema.nullable(),
    occurred_at: timestamp,
    data: z.record(z.string(), z.unknown()),
    idempotency_key: z.string().nullable(),
    content_hash: z.string(),
    correlated: z.array(correlationSchema),
    status: z.enum(EVENT_STATUSES),
    created_by: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'OperationalEvent' });

export const eventListSchema = listEnvelopeSchema(eventSchema);

export const typePath = z.object({
  id: resourceId().describe('The type id (`et-…`) or its key'),
});
export const fieldPath = typePath.extend({ field_id: resourceId() });
export const eventPath = z.object({ id: resourceId() });

export const idempotencyKey = z.string().min(1).max(200);
export const eventTime = isoDateTime();

/** A list's `from`/`to` (RFC 3339, any offset) as stored UTC text; `to` before `from` is a 422. */
export function queryPeriod(q: { from?: string; to?: string }): { from?: string; to?: string } {
  const iso = (v: string | undefined) => (v === undefined ? undefined : new Date(v).toISOString());
  const [from, to] = [iso(q.from), iso(q.to)];
  if (from !== undefined && to !== undefined && to < from)
    throw ValidationError.single(['query', 'to'], 'must not be before from');
  return { from, to };
}
