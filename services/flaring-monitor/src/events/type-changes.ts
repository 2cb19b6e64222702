import { ConflictError } from '@aegis/common';
import { validateEventData, type EventType } from './event-types';
import { eventsOfType, hasEventsOfType } from './events-store';
import type { EventsDb } from './schema';

/**
 * What may change once a type is in use (README "Event types"):
 * - draft: anything; no event can use a draft type.
 * - active: name and description freely; the key never (events name their type by key); fields may
 *   be added, changed, removed or reordered only if every event already recorded with the type still
 *   validates against the new fields (so an optional field may always be added, while removing or
 *   retyping a field that events carry, or making a field required that some event lacks, is a 409
 *   `event_type_in_use` naming the first such event).
 * - deprecated: name and description only; field changes are a 409 `event_type_deprecated`.
 * Built-in types refuse every write (409 `event_type_built_in`, checked when the type is read).
 */
export async function checkTypeChange(
  db: EventsDb,
  tenant: string,
  before: EventType,
  after: EventType,
): Promise<void> {
  if (before.status === 'draft') return;
  if (after.key !== before.key)
    throw new ConflictError(
      `The key of ${before.status} event type ${before.key} cannot change`,
      'event_type_in_use',
    );
  const fieldsChanged = JSON.stringify(after.fields) !== JSON.stringify(before.fields);
  if (!fieldsChanged) return;
  if (before.status === 'deprecated')
    throw new ConflictError(
      `Event type ${before.key} is deprecated; its fields cannot change`,
      'event_type_deprecated',
    );
  for await (const e of eventsOfType(db, tenant, before.key)) {
    const issue = validateEventData(after, e.data, ['data'])[0];
    if (issue)
      throw new ConflictError(
        `The change would make event ${e.event_id} invalid (${issue.loc.join('.')}: ${issue.msg})`,
        'event_type_in_use',
      );
  }
}

/** A type may be deleted until an event uses it (then deprecate it instead: 409). */
export async function checkTypeDelete(db: EventsDb, tenant: string, t: EventType): Promise<void> {
  if (await hasEventsOfType(db, tenant, t.key))
    throw new ConflictError(
      `Event type ${t.key} is used by recorded events; deprecate it instead`,
      'event_type_in_use',
    );
}
