import { parseApiNumber, ValidationError } from '@aegis/common';
import type { EntityView, GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import { authorizationOf, covers, type Authorization } from '../domain/rule32';

/**
 * Wells and flaring authorisations, read from the knowledge graph through its API with the caller's
 * token (never its tables). An authorisation AUTHORIZES a well directly or the well's lease.
 */

/** A well id as a client gives it (API number with or without dashes) → the normalised 14 digits. A
 * malformed one is a 422 naming `field`. */
export function normaliseWellId(input: string, loc: (string | number)[]): string {
  const r = parseApiNumber(input);
  if (!r.ok)
    throw ValidationError.single(loc, `must be a Texas API number: ${r.reason}`, 'invalid_api_number');
  return r.value;
}

/** The well entity, or a 422 naming `loc` when the tenant's graph has no such well. */
export async function requireWell(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  wellId: string,
  loc: (string | number)[],
): Promise<EntityView> {
  const well = await kg.getEntity(caller, 'Well', wellId);
  if (!well)
    throw ValidationError.single(
      loc,
      `unknown well ${wellId} (no such Well in the knowledge graph)`,
      'unknown_well',
    );
  return well;
}

export async function findAuthorization(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  id: string,
): Promise<Authorization | undefined> {
  const entity = await kg.getEntity(caller, 'FlaringAuthorization', id);
  return entity ? authorizationOf(entity.entity_id, entity.properties) : undefined;
}

/** The authorisation, or a 422 naming `loc` when the tenant's graph has none with that id. */
export async function requireAuthorization(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  id: string,
  loc: (string | number)[],
): Promise<Authorization> {
  const found = await findAuthorization(kg, caller, id);
  if (!found)
    throw ValidationError.single(
      loc,
      `unknown authorisation ${id} (no such FlaringAuthorization)`,
      'unknown_authorization',
    );
  return found;
}

const byPath = async (
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  wellId: string,
  path: { rel_type: string; direction: 'in' | 'out' }[],
): Promise<Authorization[]> => {
  const rows = (await kg.query(caller, 'connected_by_path', {
    label: 'Well',
    entity_id: wellId,
    path,
    target_label: 'FlaringAuthorization',
  })) as EntityView[];
  return rows.map((r) => authorizationOf(r.entity_id, r.properties));
};

/** The authorisations of a well: those that AUTHORIZE it, then those that AUTHORIZE its lease; in
 * each group the latest effective first. */
export async function authorizationsOfWell(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  wellId: string,
): Promise<Authorization[]> {
  const latestFirst = (a: Authorization, b: Authorization) =>
    a.effective_date === b.effective_date
      ? a.authorization_id.localeCompare(b.authorization_id)
      : a.effective_date < b.effective_date
        ? 1
        : -1;
  const direct = (await byPath(kg, caller, wellId, [{ rel_type: 'AUTHORIZES', direction: 'in' }])).sort(
    latestFirst,
  );
  const lease = await byPath(kg, caller, wellId, [
    { rel_type: 'ON_LEASE', direction: 'out' },
    { rel_type: 'AUTHORIZES', direction: 'in' },
  ]);
  const seen = new Set(direct.map((a) => a.authorization_id));
  return [...direct, ...lease.filter((a) => !seen.has(a.authorization_id)).sort(latestFirst)];
}

/** Of a well's authorisations (in `authorizationsOfWell`'s order: direct before
 * lease-wide, latest effective first), the first that covers the start time; null when none does. */
export function coveringAuthorization(auths: Authorization[], startTime: string): Authorization | null {
  return auths.find((a) => covers(a, startTime)) ?? null;
}

/** A view of the graph client that answers repeated reads from memory: for one request that looks up
 * the same wells and authorisations many times (a batch of readings from a few wells). */
export function memoizedReads(kg: KnowledgeGraphClient): KnowledgeGraphClient {
  const seen = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!seen.has(key)) seen.set(key, read());
    return seen.get(key) as Promise<T>;
  };
  return {
    ...kg,
    getEntity: (caller, label, id) =>
      once(`e|${label}|${id}|${JSON.stringify(caller)}`, () => kg.getEntity(caller, label, id)),
    query: (caller, template, params) =>
      once(`q|${template}|${JSON.stringify(params)}|${JSON.stringify(caller)}`, () =>
        kg.query(caller, template, params),
      ),
  };
}
