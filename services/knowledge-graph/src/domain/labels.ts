/** The knowledge graph's vocabulary (labels, relationship types, id patterns, limits) is the contract
 * its callers build items with: it lives in @aegis/graph-client, re-exported here for the service. */
export {
  isLabel,
  LABELS,
  MAX_BATCH_ITEMS,
  MAX_DEPTH,
  PROPERTY_NAME_PATTERN,
  REL_TYPE_PATTERN,
  REL_TYPES,
  type Label,
  type RelType,
} from '@aegis/graph-client';
