import { z } from 'zod';
import { OUTCOMES } from './evaluate';
import type { AssessmentRow, ItemResultRow } from './store';

/** The public shapes of the workspace routes (validation of the answers and the OpenAPI document). */

export const ASSESSMENT_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

const record = z.record(z.string(), z.unknown());

export const toolEvidenceSchema = z
  .object({
    tool_name: z.string(),
    role: z.enum(['derivation', 'assessment']),
    arguments: record,
    summary: z.string(),
    figures: record,
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    started_at: z.string(),
    finished_at: z.string(),
  })
  .meta({ id: 'WorkspaceToolEvidence' });

export const itemResultSchema = z
  .object({
    item_index: z.number().int(),
    outcome: z.enum(OUTCOMES),
    status_before: z.string(),
    status_after: z.string(),
    note: z.string(),
    evidence: z.object({
      item_type: z.string(),
      tool_name: z.string().nullable(),
      calls: z.array(toolEvidenceSchema),
      artifacts: z.array(
        z.object({
          artifact_id: z.string(),
          filename: z.string(),
          media_type: z.string(),
          size_bytes: z.number().int(),
          sha256: z.string(),
          created_at: z.string(),
        }),
      ),
    }),
    assessed_at: z.string(),
  })
  .meta({ id: 'WorkspaceItemResult' });

export const assessmentSchema = z
  .object({
    assessment_id: z.string(),
    checklist_id: z.string(),
    status: z.enum(ASSESSMENT_STATUSES),
    agent_id: z.string(),
    agent_version: z.number().int(),
    requested_by: z.string(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    summary: z.record(z.string(), z.number()).nullable(),
    items: z.array(itemResultSchema),
  })
  .meta({ id: 'WorkspaceAssessment' });

export type AssessmentView = z.output<typeof assessmentSchema>;

export function assessmentView(row: AssessmentRow, results: readonly ItemResultRow[]): AssessmentView {
  return {
    assessment_id: row.assessment_id,
    checklist_id: row.checklist_id,
    status: row.status as AssessmentView['status'],
    agent_id: row.agent_id,
    agent_version: Number(row.agent_version),
    requested_by: row.requested_by,
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? row.error_code },
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Record<string, number>),
    items: results.map((r) => ({
      item_index: Number(r.item_index),
      outcome: r.outcome as AssessmentView['items'][number]['outcome'],
      status_before: r.status_before,
      status_after: r.status_after,
      note: r.note,
      evidence: JSON.parse(r.evidence) as AssessmentView['items'][number]['evidence'],
      assessed_at: r.assessed_at,
    })),
  };
}
