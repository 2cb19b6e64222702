import type { Queryable, Store } from '@aegis/common';

/**
 * One filing package. `source` is the JSON it was built from (checklist items with their evidence,
 * the entity's facts, the approval); `document` the rendered PDF, base64, with its SHA-256 and size:
 * the bytes that were reviewed are the bytes that are filed, whatever the renderer becomes later.
 * `version` grows with every change (conditional updates).
 */
export interface FilingsTable {
  filing_id: string;
  tenant_id: string;
  checklist_id: string;
  approval_id: string;
  form_type: string;
  entity_label: string;
  entity_id: string;
  title: string;
  status: string;
  source: string;
  source_sha256: string;
  document: string;
  document_sha256: string;
  document_bytes: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** Every status change of a filing (its creation is `null → draft`), and the approvals audit entry
 * that recorded it (`audit_seq`, null until the approvals service has it). */
export interface FilingEventsTable {
  tenant_id: string;
  filing_id: string;
  seq: number;
  from_status: string | null;
  to_status: string;
  actor_id: string;
  reason: string | null;
  at: string;
  audit_seq: number | null;
}

export interface FilingsDatabase {
  filings: FilingsTable;
  filing_events: FilingEventsTable;
}

export type FilingsDb = Queryable<FilingsDatabase>;
export type FilingsStore = Store<FilingsDatabase>;

/** The service's store (its database type is wider, so not assignable to `FilingsStore`), read as one
 * with the filing tables (`FILINGS_MIGRATIONS` applied), like the rules library's `asRulesStore`. */
export function asFilingsStore(store: Store): FilingsStore {
  return store as FilingsStore;
}
