/** The knowledge graph's vocabulary (spec/api.md §8): the labels an entity can have, the relationship
 * types the platform writes, the shapes of ids and property names, and the API's size limits. The
 * knowledge graph validates with these; its callers build items with them. */

/** The vertex labels. An entity's label is one of these. */
export const LABELS = [
  'Well',
  'Lease',
  'Field',
  'Formation',
  'Operator',
  'Permit',
  'FlaringAuthorization',
  'FlaringEvent',
  'InfrastructureProject',
  'Regulation',
  'Wellpad',
  'Facility',
  'PipelineRoute',
  'Pipeline',
  'WellEvent',
  'ComplianceDeadline',
  'FilingPackage',
  'WellConversation',
  'Project',
  'Equipment',
] as const;
export type Label = (typeof LABELS)[number];

export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' && (LABELS as readonly string[]).includes(value);
}

/** Relationship types the platform itself writes (spec §8 names the first eight); clients may use
 * any upper-case snake_case type (REL_TYPE_PATTERN). */
export const REL_TYPES = {
  OPERATED_BY: 'OPERATED_BY',
  LOCATED_IN: 'LOCATED_IN',
  ON_LEASE: 'ON_LEASE',
  IN_FIELD: 'IN_FIELD',
  AUTHORIZES: 'AUTHORIZES',
  FLARED_AT: 'FLARED_AT',
  CONNECTED_TO: 'CONNECTED_TO',
  GOVERNED_BY: 'GOVERNED_BY',
  PRODUCES_FROM: 'PRODUCES_FROM',
  APPLIES_TO: 'APPLIES_TO',
  REPORTED_FOR: 'REPORTED_FOR',
} as const;
export type RelType = (typeof REL_TYPES)[keyof typeof REL_TYPES];

export const REL_TYPE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Property names usable in filters and type definitions. */
export const PROPERTY_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The largest bulk request and import batch, entities and edges together. */
export const MAX_BATCH_ITEMS = 5000;
/** The deepest traversal the graph answers. */
export const MAX_DEPTH = 5;
/** The largest properties object of one item, serialised. */
export const MAX_PROPERTIES_BYTES = 64 * 1024;
