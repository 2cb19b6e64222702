import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { FlareEventInput, FlareEventPatch } from '../routes/schemas';
import {
  findByReading,
  getFlareEvent,
  insertFlareEvent,
  updateFlareEvent,
  deleteFlareEvent,
  type Correlation,
  type FlareEvent,
  type FlareEventFields,
} from '../store/flare-events';
import {
  authorizationsOfWell,
  coveringAuthorization,
  normaliseWellId,
  requireAuthorization,
  requireWell,
} from './assets';
import type { FlaringDeps } from './deps';
import { addCorrelations } from '../events/correlation';
import { appendStream } from '../stream/log';

/** RFC 3339 with any offset → the stored UTC form (`toISOString`). */
export const utc = (t: string): string => new Date(t).toISOString();

/**
 * The fields of a flare event after the checks that need the knowledge graph: the well exists (422
 * naming `well_id` otherwise), the authorisation exists when one is named, else the one that covers
 * the start time (null when none: assess reports it as unauthorised), and end ≥ start.
 */
async function resolveFields(
  deps: FlaringDeps,
  caller: GraphCaller,
  input: Omit<FlareEventFields, 'well_id' | 'authorization_id' | 'cause'> & {
    well_id: string;
    authorization_id?: string | null;
    cause?: string | null;
  },
  loc: (string | number)[],
): Promise<FlareEventFields> {
  const wellId = normaliseWellId(input.well_id, [...loc, 'well_id']);
  const start = utc(input.start_time);
  const end = utc(input.end_time);
  if (end < start)
    throw ValidationError.single([...loc, 'end_time'], 'must not be before start_time', 'end_before_start');
  await requireWell(deps.kg, caller, wellId, [...loc, 'well_id']);
  let authorizationId: string | null;
  if (input.authorization_id) {
    authorizationId = (
      await requireAuthorization(deps.kg, caller, input.authorization_id, [...loc, 'authorization_id'])
    ).authorization_id;
  } else if (input.authorization_id === null) {
    authorizationId = null;
  } else {
    authorizationId =
      coveringAuthorization(await authorizationsOfWell(deps.kg, caller, wellId), start)?.authorization_id ??
      null;
  }
  return {
    well_id: wellId,
    authorization_id: authorizationId,
    start_time: start,
    end_time: end,
    volume_mcf: input.volume_mcf,
    disposition: input.disposition,
    cause: input.cause ?? null,
    status: input.status,
  };
}

/** Whether a stored event carries the same reading (for source_reading_id idempotency). */
function sameReading(stored: FlareEvent, f: FlareEventFields): boolean {
  return (
    stored.well_id === f.well_id &&
    stored.start_time === f.start_time &&
    stored.end_time === f.end_time &&
    stored.volume_mcf === f.volume_mcf &&
    stored.disposition === f.disposition &&
    (stored.cause ?? null) === (f.cause ?? null)
  );
}

export type CreateOutcome = { event: FlareEvent; created: boolean };

/**
 * Creates a flare event. With a `source_reading_id` already stored: the stored
 * event when the reading's content is the same (created: false), 409 `reading_conflict` when it
 * differs. Nothing is stored when any check fails.
 */
export async function createFlareEvent(
  deps: FlaringDeps,
  caller: GraphCaller,
  tenant: string,
  createdBy: string,
  input: FlareEventInput,
  loc: (string | number)[] = ['body'],
): Promise<CreateOutcome> {
  const fields = await resolveFields(deps, caller, input, loc);
  const readingId = input.source_reading_id ?? null;
  const existing = async (): Promise<CreateOutcome | undefined> => {
    if (readingId === null) return undefined;
    const stored = await findByReading(deps.store, tenant, readingId);
    if (!stored) return undefined;
    if (!sameReading(stored, fields))
      throw new ConflictError(
        `Reading ${readingId} is already stored as flare event ${stored.event_id} with different content`,
        'reading_conflict',
      );
    return { event: stored, created: false };
  };
  const before = await existing();
  if (before) return before;
  try {
    const at = new Date(deps.now()).toISOString();
    const event = await deps.store.transaction(async (tx) => {
      const e = await insertFlareEvent(
        tx,
        tenant,
        { ...fields, source: input.source, source_reading_id: readingId, created_by: createdBy },
        at,
      );
      await appendStream(tx, tenant, 'flare_event', { ...e }, at);
      return e;
    });
    return { event, created: true };
  } catch (err) {
    // Two requests with the same reading raced: the loser answers as if it came second.
    const raced = isUniqueViolation(err) || err instanceof ConflictError ? await existing() : undefined;
    if (raced) return raced;
    throw err;
  }
}

export async function patchFlareEvent(
  deps: FlaringDeps,
  caller: GraphCaller,
  tenant: string,
  id: string,
  patch: FlareEventPatch,
): Promise<FlareEvent> {
  const current = await getFlareEvent(deps.store, tenant, id);
  const wellChanged =
    patch.well_id !== undefined && normaliseWellId(patch.well_id, ['body', 'well_id']) !== current.well_id;
  const startChanged = patch.start_time !== undefined && utc(patch.start_time) !== current.start_time;
  // The authorisation is resolved again when asked to (null/id), or when the well or start moved and
  // the client did not name one.
  const authorization =
    patch.authorization_id !== undefined
      ? patch.authorization_id
      : wellChanged || startChanged
        ? undefined
        : current.authorization_id;
  const fields = await resolveFields(
    deps,
    caller,
    {
      well_id: patch.well_id ?? current.well_id,
      authorization_id: authorization,
      start_time: patch.start_time ?? current.start_time,
      end_time: patch.end_time ?? current.end_time,
      volume_mcf: patch.volume_mcf ?? current.volume_mcf,
      disposition: patch.disposition ?? current.disposition,
      cause: patch.cause !== undefined ? patch.cause : current.cause,
      status: patch.status ?? current.status,
    },
    ['body'],
  );
  await updateFlareEvent(deps.store, tenant, id, fields, new Date(deps.now()).toISOString());
  return getFlareEvent(deps.store, tenant, id);
}

export async function removeFlareEvent(deps: FlaringDeps, tenant: string, id: string): Promise<void> {
  if (!(await deleteFlareEvent(deps.store, tenant, id)))
    throw new NotFoundError(`Flare event ${id} not found`, 'flare_event_not_found');
}

export interface CorrelateInput {
  targets: { kind: Correlation['kind']; id: string; label?: string }[];
  note?: string;
}

/**
 * Links a flare event to other flare events, operational events or knowledge-graph entities. Flare
 * events and entities must exist in the tenant (422 naming the target otherwise); a target already
 * linked is not added twice.
 */
export async function correlateFlareEvent(
  deps: FlaringDeps,
  caller: GraphCaller,
  tenant: string,
  by: string,
  id: string,
  input: CorrelateInput,
): Promise<FlareEvent> {
  const current = await getFlareEvent(deps.store, tenant, id);
  const at = new Date(deps.now()).toISOString();
  const correlated = await addCorrelations(
    deps,
    caller,
    tenant,
    { kind: 'flare_event', id },
    current.correlated,
    input,
    by,
    at,
  );
  await updateFlareEvent(deps.store, tenant, id, { correlated }, at);
  return getFlareEvent(deps.store, tenant, id);
}
