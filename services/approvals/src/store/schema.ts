import type { Queryable, Store } from '@aegis/common';
import type { SweeperTables } from '@aegis/common';

/** One approval request. Times are RFC 3339 UTC strings (`toISOString`, so they sort as text on both
 * stores). `payload`, `snapshot`, `modifications` and `effective_action` are JSON text. `snapshot` is
 * written once, at creation, and never updated; its digest is in the `created` audit entry.
 * `assigned_at` is when the current reviewer assignment started (creation or the last escalation):
 * the escalation timeout counts from it. `version` grows with every change (conditional updates). */
export interface ApprovalsTable {
  approval_id: string;
  tenant_id: string;
  conversation_id: string;
  run_id: string | null;
  agent_type: string;
  checkpoint_type: string;
  status: string;
  reviewer_strategy: string;
  reviewer_id: string | null;
  requested_by: string;
  on_behalf_of: string | null;
  payload: string;
  snapshot: string;
  snapshot_digest: string;
  decided_by: string | null;
  decided_at: string | null;
  notes: string | null;
  modifications: string | null;
  effective_action: string | null;
  escalation_level: number;
  escalated_at: string | null;
  assigned_at: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One reviewer's recorded decision on an approval; one row per reviewer (the primary key), so a
 * four-eyes approval can never count the same reviewer twice. */
export interface ApprovalVotesTable {
  tenant_id: string;
  approval_id: string;
  reviewer_id: string;
  decision: string;
  notes: string | null;
  modifications: string | null;
  created_at: string;
}

/** A tenant's audit chain head and outbox counter. Every write of the tenant updates this row first, so
 * writers of one tenant are serialised (the row lock on PostgreSQL, the one writer on SQLite) and
 * `audit_seq` / `outbox_seq` grow without gaps, in commit order. */
export interface AuditHeadsTable {
  tenant_id: string;
  audit_seq: number;
  audit_mac: string;
  outbox_seq: number;
  updated_at: string;
}

/** The append-only audit trail: per tenant, `seq` 1, 2, 3…; `mac` = HMAC-SHA256 over the entry's
 * content, its seq and the previous entry's mac (`prev_mac`). Never updated or deleted by the service. */
export interface AuditEntriesTable {
  tenant_id: string;
  seq: number;
  approval_id: string | null;
  action: string;
  actor_id: string;
  at: string;
  data: string;
  key_id: string;
  prev_mac: string;
  mac: string;
}

/** Decisions to publish (at-least-once): per tenant, `seq` 1, 2, 3… in commit order. */
export interface ApprovalOutboxTable {
  tenant_id: string;
  seq: number;
  approval_id: string;
  event_type: string;
  data: string;
  created_at: string;
}

/** A tenant's escalation defaults (no row: the configured timeout, no reassignment). */
export interface ApprovalSettingsTable {
  tenant_id: string;
  escalation_timeout_hours: number | null;
  escalation_reviewer_id: string | null;
  updated_by: string;
  updated_at: string;
}

/** The generated audit HMAC key (when none is configured): one platform secret like auth's signing
 * keys, sealed with AUDIT_KEY_ENCRYPTION_KEY when set. */
export interface AuditKeysTable {
  key_id: string;
  secret: string;
  created_at: string;
}

export interface ApprovalsDatabase extends SweeperTables {
  approvals: ApprovalsTable;
  approval_votes: ApprovalVotesTable;
  audit_heads: AuditHeadsTable;
  audit_entries: AuditEntriesTable;
  approval_outbox: ApprovalOutboxTable;
  approval_settings: ApprovalSettingsTable;
  audit_keys: AuditKeysTable;
}

/** The approvals store or one of its transactions. */
export type ApprovalsDb = Queryable<ApprovalsDatabase>;
export type ApprovalsStore = Store<ApprovalsDatabase>;
