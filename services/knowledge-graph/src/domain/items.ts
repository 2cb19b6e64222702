import type { ValidationIssue } from '@aegis/common';
import type { EdgeItem, EntityItem, Label } from '@aegis/graph-client';
import { looksLikeApiNumber, normaliseApiNumber } from './api-number';

/** Entity and edge items as clients send them (POST /entities, /edges, /entities/bulk, imports), and
 * their preparation into stored form: natural keys resolved, API numbers normalised, coordinates
 * checked. Pure. The item schemas are the contract with the callers, in @aegis/graph-client. */
export {
  edgeItemSchema,
  entityItemSchema,
  MAX_PROPERTIES_BYTES,
  type EdgeItem,
  type EntityItem,
} from '@aegis/graph-client';

export interface PreparedEntity {
  label: Label;
  entityId: string;
  properties: Record<string, unknown>;
  latitude: number | null;
  longitude: number | null;
}

export interface PreparedEdge {
  fromLabel: Label;
  fromId: string;
  relType: string;
  toLabel: Label;
  toId: string;
  properties: Record<string, unknown>;
}

export type Prepared<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A Well id that looks like an API number is stored normalised, so `42-301-12345` finds the well. */
export function normaliseEntityId(label: string, id: string): string {
  if (label !== 'Well' || !looksLikeApiNumber(id)) return id;
  const r = normaliseApiNumber(id);
  return r.ok ? r.value : id;
}

function coordinate(
  properties: Record<string, unknown>,
  name: 'latitude' | 'longitude',
  limit: number,
  at: (string | number)[],
  issues: ValidationIssue[],
): number | null {
  const raw = properties[name];
  if (raw === undefined || raw === null || raw === '') return null;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > limit) {
    issues.push({
      loc: [...at, 'properties', name],
      msg: `must be a number between -${limit} and ${limit}`,
      type: 'value_error',
    });
    return null;
  }
  properties[name] = n;
  return n;
}

export interface PrepareOptions {
  /** Called when an entity other than a Well has no entity_id; absent = entity_id required. */
  generateId?: () => string;
}

/** Resolves the natural key and normalises an entity item; `at` prefixes every issue's loc. */
export function prepareEntity(
  item: EntityItem,
  at: (string | number)[],
  options: PrepareOptions = {},
): Prepared<PreparedEntity> {
  const issues: ValidationIssue[] = [];
  const props: Record<string, unknown> = { ...item.properties };
  let entityIdValue =
    item.entity_id === undefined ? undefined : normaliseEntityId(item.label, item.entity_id);
  if (item.label === 'Well' && props.api_number !== undefined && props.api_number !== null) {
    const raw = props.api_number;
    const r =
      typeof raw === 'string' || typeof raw === 'number' ? normaliseApiNumber(String(raw)) : undefined;
    if (!r || !r.ok) {
      issues.push({
        loc: [...at, 'properties', 'api_number'],
        msg: r && !r.ok ? r.reason : 'must be a string',
        type: 'value_error',
      });
    } else {
      props.api_number = r.value;
      entityIdValue ??= r.value;
    }
  }
  if (entityIdValue === undefined) {
    if (item.label !== 'Well' && options.generateId) entityIdValue = options.generateId();
    else if (item.label === 'Well' && issues.length === 0)
      issues.push({
        loc: [...at, 'properties', 'api_number'],
        msg: 'field required (a Well needs entity_id or properties.api_number)',
        type: 'missing',
      });
    else if (item.label !== 'Well')
      issues.push({ loc: [...at, 'entity_id'], msg: 'field required', type: 'missing' });
  }
  const latitude = coordinate(props, 'latitude', 90, at, issues);
  const longitude = coordinate(props, 'longitude', 180, at, issues);
  if (issues.length > 0 || entityIdValue === undefined) return { ok: false, issues };
  return {
    ok: true,
    value: { label: item.label, entityId: entityIdValue, properties: props, latitude, longitude },
  };
}

export function prepareEdge(item: EdgeItem): PreparedEdge {
  return {
    fromLabel: item.from_label,
    fromId: normaliseEntityId(item.from_label, item.from_id),
    relType: item.rel_type,
    toLabel: item.to_label,
    toId: normaliseEntityId(item.to_label, item.to_id),
    properties: item.properties,
  };
}

export const entityKey = (label: string, id: string) => `${label}\u0000${id}`;
