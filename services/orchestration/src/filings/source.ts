import { createHash } from 'node:crypto';
import { canonicalJson } from '@aegis/common';
import type { FormType } from './domain';
import type { EntityFacts } from './facts';

/** One piece of evidence attached to a checklist item, as filed. */
export interface EvidenceSource {
  artifact_id: string;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
}

/** The data a filing package was built from: stored with it (JSON, with its SHA-256) and the only
 * input of its document, so the document can be rendered again and compared byte for byte. */
export interface FilingSource {
  filing_id: string;
  form_type: FormType;
  title: string;
  checklist: {
    checklist_id: string;
    template_id: string;
    template_version: number;
    title: string;
    entity_label: string;
    entity_id: string;
    submitted_at: string | null;
    decided_at: string | null;
  };
  items: {
    index: number;
    label: string;
    item_type: string;
    required: boolean;
    status: string;
    notes: string | null;
    exception_reason: string | null;
    evidence: EvidenceSource[];
  }[];
  exceptions: { item_index: number | null; reason: string; created_by: string }[];
  facts: EntityFacts;
  approval: {
    approval_id: string;
    decision: string;
    reviewer: string | null;
    decided_at: string;
    notes: string | null;
  };
  /** When the package was produced (the approval's decision time: the document's date). */
  produced_at: string;
}

/** SHA-256 (hex) of the source's canonical JSON: printed on every page of the document and stored. */
export function sourceDigest(source: FilingSource): string {
  return createHash('sha256').update(canonicalJson(source)).digest('hex');
}
