import type { Queryable, Store } from '@aegis/common';

/** One checklist: a template's items opened for an entity. Times are RFC 3339 UTC strings.
 * `version` grows with every change of the checklist row (conditional updates). */
export interface ChecklistsTable {
  checklist_id: string;
  tenant_id: string;
  template_id: string;
  template_version: number;
  form_type: string;
  agent_type: string;
  entity_label: string;
  entity_id: string;
  title: string;
  notes: string | null;
  status: string;
  approval_id: string | null;
  rejection_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  version: number;
}

/** One item of a checklist (copied from its template version at creation). `required` is 0/1. */
export interface ChecklistItemsTable {
  tenant_id: string;
  checklist_id: string;
  item_index: number;
  label: string;
  item_type: string;
  required: number;
  tool_name: string | null;
  status: string;
  notes: string | null;
  exception_reason: string | null;
  updated_by: string | null;
  updated_at: string;
}

/** An exception recorded for an item (`item_index`) or the whole checklist (null). */
export interface ChecklistExceptionsTable {
  exception_id: string;
  tenant_id: string;
  checklist_id: string;
  item_index: number | null;
  reason: string;
  created_by: string;
  created_at: string;
}

/** A stored file attached to an item: its bytes live in the artifact storage under `storage_key`. */
export interface ChecklistArtifactsTable {
  artifact_id: string;
  tenant_id: string;
  checklist_id: string;
  item_index: number;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_by: string;
  created_at: string;
}

export interface ChecklistsDatabase {
  checklists: ChecklistsTable;
  checklist_items: ChecklistItemsTable;
  checklist_exceptions: ChecklistExceptionsTable;
  checklist_artifacts: ChecklistArtifactsTable;
}

export type ChecklistsDb = Queryable<ChecklistsDatabase>;
export type ChecklistsStore = Store<ChecklistsDatabase>;
