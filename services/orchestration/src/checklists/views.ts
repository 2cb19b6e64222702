import type { ChecklistStatus, ItemStatus } from './domain';
import type { ArtifactRow } from './store/artifacts';
import type { ChecklistRow, ExceptionRow, ItemRow } from './store/checklists';

/** What the API answers: rows turned into the public shapes (snake_case, booleans, no tenant). */

export interface ItemView {
  index: number;
  label: string;
  item_type: string;
  required: boolean;
  tool_name: string | null;
  status: ItemStatus;
  notes: string | null;
  exception_reason: string | null;
  artifact_count: number;
  updated_by: string | null;
  updated_at: string;
}

export interface ExceptionView {
  exception_id: string;
  item_index: number | null;
  reason: string;
  created_by: string;
  created_at: string;
}

export interface ChecklistSummaryView {
  checklist_id: string;
  template_id: string;
  template_version: number;
  form_type: string;
  agent_type: string;
  entity_label: string;
  entity_id: string;
  title: string;
  notes: string | null;
  status: ChecklistStatus;
  approval_id: string | null;
  rejection_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  progress: { total: number; complete: number; required: number; required_settled: number };
}

export interface ChecklistView extends ChecklistSummaryView {
  items: ItemView[];
  exceptions: ExceptionView[];
}

export interface ArtifactView {
  artifact_id: string;
  checklist_id: string;
  item_index: number;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  created_by: string;
  created_at: string;
  /** The download path (service path; clients prefix `/api/v1`). */
  content_url: string;
}

export function itemView(row: ItemRow, artifacts: number): ItemView {
  return {
    index: Number(row.item_index),
    label: row.label,
    item_type: row.item_type,
    required: Boolean(Number(row.required)),
    tool_name: row.tool_name,
    status: row.status as ItemStatus,
    notes: row.notes,
    exception_reason: row.exception_reason,
    artifact_count: artifacts,
    updated_by: row.updated_by,
    updated_at: row.updated_at,
  };
}

export function summaryView(row: ChecklistRow, items: readonly ItemView[]): ChecklistSummaryView {
  const required = items.filter((i) => i.required);
  return {
    checklist_id: row.checklist_id,
    template_id: row.template_id,
    template_version: Number(row.template_version),
    form_type: row.form_type,
    agent_type: row.agent_type,
    entity_label: row.entity_label,
    entity_id: row.entity_id,
    title: row.title,
    notes: row.notes,
    status: row.status as ChecklistStatus,
    approval_id: row.approval_id,
    rejection_reason: row.rejection_reason,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    submitted_at: row.submitted_at,
    decided_at: row.decided_at,
    progress: {
      total: items.length,
      complete: items.filter((i) => i.status === 'complete').length,
      required: required.length,
      required_settled: required.filter((i) => i.status === 'complete' || i.status === 'exception').length,
    },
  };
}

export function exceptionView(row: ExceptionRow): ExceptionView {
  return {
    exception_id: row.exception_id,
    item_index: row.item_index === null ? null : Number(row.item_index),
    reason: row.reason,
    created_by: row.created_by,
    created_at: row.created_at,
  };
}

export function artifactView(row: ArtifactRow): ArtifactView {
  const index = Number(row.item_index);
  return {
    artifact_id: row.artifact_id,
    checklist_id: row.checklist_id,
    item_index: index,
    filename: row.filename,
    media_type: row.media_type,
    size_bytes: Number(row.size_bytes),
    sha256: row.sha256,
    created_by: row.created_by,
    created_at: row.created_at,
    content_url: `/checklists/${encodeURIComponent(row.checklist_id)}/items/${index}/artifacts/${row.artifact_id}/content`,
  };
}
