import type { FilingStatus, FormType } from './domain';
import type { FilingSource } from './source';
import type { FilingEventRow, FilingSummaryRow } from './store/filings';

/** What the API answers: rows turned into the public shapes (no tenant, no document bytes). */
export interface FilingSummaryView {
  filing_id: string;
  checklist_id: string;
  approval_id: string;
  form_type: FormType;
  entity_label: string;
  entity_id: string;
  title: string;
  status: FilingStatus;
  /** SHA-256 (hex) of the canonical JSON of `source`: the data the document was built from. */
  source_sha256: string;
  document: { media_type: 'application/pdf'; size_bytes: number; sha256: string; url: string };
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface FilingEventView {
  seq: number;
  from: FilingStatus | null;
  to: FilingStatus;
  actor_id: string;
  reason: string | null;
  at: string;
  /** The approvals audit entry that recorded the change (null until the approvals service has it). */
  audit_seq: number | null;
}

export interface FilingView extends FilingSummaryView {
  source: FilingSource;
  history: FilingEventView[];
}

/** The download path (service path; clients prefix `/api/v1`). */
export const documentPath = (filingId: string) => `/compliance/filings/${filingId}/document`;

export function filingSummaryView(row: FilingSummaryRow): FilingSummaryView {
  return {
    filing_id: row.filing_id,
    checklist_id: row.checklist_id,
    approval_id: row.approval_id,
    form_type: row.form_type as FormType,
    entity_label: row.entity_label,
    entity_id: row.entity_id,
    title: row.title,
    status: row.status as FilingStatus,
    source_sha256: row.source_sha256,
    document: {
      media_type: 'application/pdf',
      size_bytes: Number(row.document_bytes),
      sha256: row.document_sha256,
      url: documentPath(row.filing_id),
    },
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function filingEventView(row: FilingEventRow): FilingEventView {
  return {
    seq: Number(row.seq),
    from: row.from_status as FilingStatus | null,
    to: row.to_status as FilingStatus,
    actor_id: row.actor_id,
    reason: row.reason,
    at: row.at,
    audit_seq: row.audit_seq === null ? null : Number(row.audit_seq),
  };
}
