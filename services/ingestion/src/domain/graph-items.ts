/**
 * Valid records → knowledge-graph items (the contract of POST /imports/{id}/items and
 * /entities/bulk). Natural keys make re-loading idempotent: the same row always yields the same
 * entity ids and edge endpoints. Pure.
 */
import {
  type EdgeItemInput,
  type EntityItem as GraphEntityItem,
  type Label,
  type ProductionRecord,
  REL_TYPES,
} from '@aegis/graph-client';
import type { DataType } from './datatypes';
import type { FieldValue, ValidRecord } from './validate';
import { slug } from './values';

/** An entity item as the knowledge graph takes it (@aegis/graph-client), always with its natural key. */
export type EntityItem = GraphEntityItem & { entity_id: string };
export type EdgeItem = EdgeItemInput;

export interface RowItems {
  /** Entities the row is about (Well, Permit, FlaringEvent). */
  entities: EntityItem[];
  /** Entities the row names (Operator, Lease, Field): sent once per import where possible. */
  related: EntityItem[];
  edges: EdgeItem[];
  /** A month of a well's production (`production` rows): written with
   * `PUT /entities/Well/{id}/production`, not as an item. */
  production?: WellProduction;
}

export interface WellProduction {
  wellId: string;
  record: ProductionRecord;
}

/** The relationship types ingestion writes (the knowledge graph's names, from @aegis/graph-client). */
export const REL = {
  operatedBy: REL_TYPES.OPERATED_BY,
  onLease: REL_TYPES.ON_LEASE,
  inField: REL_TYPES.IN_FIELD,
  authorizes: REL_TYPES.AUTHORIZES,
  flaredAt: REL_TYPES.FLARED_AT,
  reportedFor: REL_TYPES.REPORTED_FOR,
} as const;

/** Which label each data type's rows become (production rows are months on the Well). */
export const DATA_TYPE_LABEL: Readonly<Record<DataType, Label>> = {
  wells: 'Well',
  permits: 'Permit',
  production: 'Well',
  flaring: 'FlaringEvent',
};

/** The most items one row can produce (primary entities + related + edges): the batcher keeps
 * room for one more row under the knowledge graph's per-request limit. */
export const MAX_ITEMS_PER_ROW = 7;

type Fields = Record<string, FieldValue>;

/** Copies the fields present (defined) under their property names, extras first so canonical wins.
 * (Loops with `for…in`, no entry arrays: this runs for every row of a file.) */
function props(
  record: ValidRecord,
  rename: Readonly<Record<string, string>> = {},
  omit: readonly string[] = [],
) {
  const out: Record<string, unknown> = {};
  const { extras, fields } = record;
  for (const name in extras) out[name] = extras[name];
  for (const name in fields) {
    if (omit.length > 0 && omit.includes(name)) continue;
    out[rename[name] ?? name] = fields[name];
  }
  return out;
}

/** The entries whose value is defined, in the order given. */
function defined(entries: Record<string, FieldValue | undefined>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const k in entries) {
    const v = entries[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const str = (v: FieldValue | undefined) => (v === undefined ? undefined : String(v));

/** An entity a row names by natural key (operator, lease, field): its id from the row's fields, and
 * the item itself, built only when it has to be sent. */
interface RelatedKind {
  label: Label;
  id(f: Fields): string | undefined;
  item(f: Fields, id: string): EntityItem;
}

/** A related entity keyed `<prefix>-<its number>` when known, else `<prefix>-<slug of its name>`,
 * with both as its properties. */
const numbered = (label: Label, prefix: string, numberField: string, nameField: string): RelatedKind => ({
  label,
  id(f) {
    const number = str(f[numberField]);
    const name = str(f[nameField]);
    const key = number ?? (name ? slug(name) : undefined);
    return key ? `${prefix}-${key}` : undefined;
  },
  item: (f, id) => ({
    label,
    entity_id: id,
    properties: defined({ name: str(f[nameField]), [numberField]: str(f[numberField]) }),
  }),
});

/** Operator natural key: `OP-<P-5 number>` when known, else `OP-<slug of the name>` (the knowledge
 * graph's demo data uses the same scheme, so uploads link to seeded operators). */
const OPERATOR = numbered('Operator', 'OP', 'operator_number', 'operator_name');

/** Lease natural key: `LSE-<district>-<lease number>` (RRC lease numbers are unique within a
 * district), `LSE-<lease number>`, or `LSE-<slug of the name>`. */
const LEASE: RelatedKind = {
  label: 'Lease',
  id(f) {
    const number = str(f.lease_number);
    const district = str(f.district);
    const name = str(f.lease_name);
    const key = number ? (district ? `${district}-${number}` : number) : name ? slug(name) : undefined;
    return key ? `LSE-${key}` : undefined;
  },
  item: (f, id) => ({
    label: 'Lease',
    entity_id: id,
    properties: defined({
      name: str(f.lease_name),
      lease_number: str(f.lease_number),
      district: str(f.district),
    }),
  }),
};

/** Field natural key: `FLD-<RRC field number>`, else `FLD-<slug of the name>`. */
const FIELD = numbered('Field', 'FLD', 'field_number', 'field_name');

const refOf = (kind: RelatedKind, f: Fields): EntityItem | undefined => {
  const id = kind.id(f);
  return id === undefined ? undefined : kind.item(f, id);
};

export const operatorRef = (f: Fields) => refOf(OPERATOR, f);
export const leaseRef = (f: Fields) => refOf(LEASE, f);
export const fieldRef = (f: Fields) => refOf(FIELD, f);

const edgeTo = (from: EntityItem, rel: string, toLabel: Label, toId: string): EdgeItem => ({
  from_label: from.label,
  from_id: from.entity_id,
  rel_type: rel,
  to_label: toLabel,
  to_id: toId,
});

const edge = (from: EntityItem, rel: string, to: EntityItem): EdgeItem =>
  edgeTo(from, rel, to.label, to.entity_id);

const wellRef = (api: string): EntityItem => ({ label: 'Well', entity_id: api, properties: {} });

/** Whether this import already stored an entity: a row still links to it, but does not carry it. */
export type StoredEntity = (label: string, id: string) => boolean;

const WELL_LINKS: readonly (readonly [RelatedKind, string])[] = [
  [OPERATOR, REL.operatedBy],
  [LEASE, REL.onLease],
  [FIELD, REL.inField],
];

function wellItems(record: ValidRecord, stored?: StoredEntity): RowItems {
  const f = record.fields;
  const api = String(f.api_number);
  const name = str(f.well_name) ?? `${String(f.lease_name)} ${String(f.well_number)}`;
  const properties = props(record, { well_name: 'name', total_depth: 'total_depth_ft' });
  properties.name = name;
  const well: EntityItem = { label: 'Well', entity_id: api, properties };
  const related: EntityItem[] = [];
  const edges: EdgeItem[] = [];
  for (let i = 0; i < WELL_LINKS.length; i += 1) {
    const [kind, rel] = WELL_LINKS[i];
    const id = kind.id(f);
    if (id === undefined) continue;
    if (!stored?.(kind.label, id)) related.push(kind.item(f, id));
    edges.push(edgeTo(well, rel, kind.label, id));
  }
  return { entities: [well], related, edges };
}

function permitItems(record: ValidRecord): RowItems {
  const f = record.fields;
  const permit: EntityItem = {
    label: 'Permit',
    entity_id: `W1-${String(f.permit_number)}`,
    properties: props(record, { total_depth: 'total_depth_ft' }),
  };
  return {
    entities: [permit],
    related: [],
    edges: [edge(permit, REL.authorizes, wellRef(String(f.api_number)))],
  };
}

const num = (v: FieldValue | undefined) => (v === undefined ? undefined : Number(v));

/** A production row as the knowledge graph's production record: casinghead gas (oil wells) and gas
 * well gas add up to `gas_mcf`; the operator and lease columns and extra columns are not part of it. */
export function productionRecord(record: ValidRecord): WellProduction {
  const f = record.fields;
  const gas = [num(f.gas_mcf), num(f.casinghead_gas_mcf)].filter((v) => v !== undefined);
  const out: Record<string, number | string | undefined> = {
    period: String(f.period),
    oil_bbl: num(f.oil_bbl),
    gas_mcf: gas.length > 0 ? gas.reduce((a, b) => a + b, 0) : undefined,
    water_bbl: num(f.water_bbl),
    condensate_bbl: num(f.condensate_bbl),
    flared_mcf: num(f.flared_mcf),
    vented_mcf: num(f.vented_mcf),
    days_produced: num(f.days_produced),
    allowable_bbl: num(f.allowable_bbl),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return { wellId: String(f.api_number), record: out as ProductionRecord };
}

function productionItems(record: ValidRecord): RowItems {
  return { entities: [], related: [], edges: [], production: productionRecord(record) };
}

function flaringItems(record: ValidRecord): RowItems {
  const f = record.fields;
  const api = String(f.api_number);
  const id = str(f.event_id) ?? `FE-${api}-${String(f.start_time)}`;
  const properties = props(record);
  const event: EntityItem = { label: 'FlaringEvent', entity_id: id, properties };
  return { entities: [event], related: [], edges: [edge(event, REL.flaredAt, wellRef(api))] };
}

const BUILDERS: Readonly<Record<DataType, (r: ValidRecord, stored?: StoredEntity) => RowItems>> = {
  wells: wellItems,
  permits: permitItems,
  production: productionItems,
  flaring: flaringItems,
};

/** The items of one valid row. With `stored`, related entities the import already stored are linked
 * but not repeated (they would be dropped from the batch anyway; not building them saves most of a
 * row's objects, and the batch's item budget counts only what is sent). */
export function toGraphItems(dataType: DataType, record: ValidRecord, stored?: StoredEntity): RowItems {
  return BUILDERS[dataType](record, stored);
}
