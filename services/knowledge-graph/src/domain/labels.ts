/** The vertex labels of spec/api.md §8 (knowledge-graph). An entity's label is one of these. */
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
 * any upper-case snake_case type. */
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
} as const;

export const REL_TYPE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Entity ids: printable, no slashes (they are path segments), at most 200 characters. */
export const ENTITY_ID_PATTERN = /^[^\s/?#][^/?#]{0,199}$/;
/** Property names usable in filters and type definitions. */
export const PROPERTY_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The largest bulk request and import batch (contract with ingestion). */
export const MAX_BATCH_ITEMS = 5000;
export const MAX_DEPTH = 5;
