import { enumFilter, listQuerySchema, type Role } from '@aegis/common';
import { z } from 'zod';
import { CHECKLIST_STATUSES, ITEM_STATUSES, SETTABLE_ITEM_STATUSES } from '../domain';
import { CHECKLIST_SORTABLE } from '../store/checklists';
import { templateItemSchema, CHECKLIST_AGENT_TYPES, ENTITY_LABELS } from '../templates/schema';

/** Who prepares filings (admin passes every check); anyone of the tenant may read. */
export const WRITE_ROLES: Role[] = ['operator'];

export const checklistId = z
  .string()
  .regex(/^chk-[0-9a-f]{24}$/, { message: 'must be a checklist id (chk-…)' });
export const artifactId = z
  .string()
  .regex(/^art-[0-9a-f]{24}$/, { message: 'must be an artifact id (art-…)' });
export const itemIndex = z.coerce
  .number({ message: 'must be an integer' })
  .int({ message: 'must be an integer' })
  .min(0, { message: 'must be at least 0' })
  .max(199, { message: 'must be at most 199' });

export const checklistParams = z.object({ id: checklistId });
export const itemParams = z.object({ id: checklistId, idx: itemIndex });
export const artifactParams = z.object({ id: checklistId, idx: itemIndex, artifact_id: artifactId });

const text = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max);

export const templateView = z
  .object({
    template_id: z.string(),
    version: z.number().int(),
    title: z.string(),
    form_type: z.string(),
    agent_type: z.enum(CHECKLIST_AGENT_TYPES),
    rule: z.string(),
    entity_labels: z.array(z.enum(ENTITY_LABELS)),
    items: z.array(templateItemSchema.extend({ index: z.number().int() })),
  })
  .meta({ id: 'ChecklistTemplate' });

export const TEMPLATE_SORTABLE = ['template_id', 'form_type'] as const;
export const templateListOptions = { sortable: TEMPLATE_SORTABLE, defaultSort: 'template_id' } as const;
export const templateListQuery = listQuerySchema(templateListOptions).extend({
  form_type: z.string().max(50).optional(),
  agent_type: enumFilter(CHECKLIST_AGENT_TYPES).optional(),
  all_versions: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: every version of every template; default: the newest version of each'),
});

export const itemView = z
  .object({
    index: z.number().int(),
    label: z.string(),
    item_type: z.string(),
    required: z.boolean(),
    tool_name: z.string().nullable(),
    status: z.enum(ITEM_STATUSES),
    notes: z.string().nullable(),
    exception_reason: z.string().nullable(),
    artifact_count: z.number().int(),
    updated_by: z.string().nullable(),
    updated_at: z.string(),
  })
  .meta({ id: 'ChecklistItem' });

const exceptionView = z
  .object({
    exception_id: z.string(),
    item_index: z.number().int().nullable(),
    reason: z.string(),
    created_by: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'ChecklistException' });

const summaryFields = {
  checklist_id: z.string(),
  template_id: z.string(),
  template_version: z.number().int(),
  form_type: z.string(),
  agent_type: z.string(),
  entity_label: z.string(),
  entity_id: z.string(),
  title: z.string(),
  notes: z.string().nullable(),
  status: z.enum(CHECKLIST_STATUSES),
  approval_id: z.string().nullable(),
  rejection_reason: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  submitted_at: z.string().nullable(),
  decided_at: z.string().nullable(),
  progress: z.object({
    total: z.number().int(),
    complete: z.number().int(),
    required: z.number().int(),
    required_settled: z.number().int(),
  }),
};

export const checklistSummary = z.object(summaryFields).meta({ id: 'ChecklistSummary' });
export const checklistView = z
  .object({ ...summaryFields, items: z.array(itemView), exceptions: z.array(exceptionView) })
  .meta({ id: 'Checklist' });

export const artifactView = z
  .object({
    artifact_id: z.string(),
    checklist_id: z.string(),
    item_index: z.number().int(),
    filename: z.string(),
    media_type: z.string(),
    size_bytes: z.number().int(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    created_by: z.string(),
    created_at: z.string(),
    content_url: z.string(),
  })
  .meta({ id: 'ChecklistArtifact' });

export const checklistListOptions = {
  sortable: CHECKLIST_SORTABLE,
  defaultSort: 'created_at',
  defaultDir: 'desc',
} as const;
export const checklistListQuery = listQuerySchema(checklistListOptions).extend({
  status: enumFilter(CHECKLIST_STATUSES).optional(),
  template_id: z.string().max(64).optional(),
  entity_id: z.string().max(200).optional(),
  form_type: z.string().max(50).optional(),
  q: z.string().max(200).optional().describe('Text the title contains (any case)'),
});

export const createBody = z.strictObject({
  template_id: z.string().min(1).max(64),
  template_version: z.number().int().min(1).optional().describe('Default: the newest version'),
  entity_id: text(200).describe('An API number (a well, any written form) or a lease id'),
  title: text(200).optional(),
  notes: z.string().max(10_000).optional(),
});

export const patchBody = z
  .strictObject({ title: text(200).optional(), notes: z.string().max(10_000).nullable().optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'must change title or notes' });

export const itemPatchBody = z
  .strictObject({
    status: z
      .enum(SETTABLE_ITEM_STATUSES)
      .optional()
      .describe(
        'pending → in_progress | complete | not_applicable; in_progress → pending | complete | not_applicable; complete → in_progress; not_applicable → pending; exception → pending. Illegal: 409.',
      ),
    notes: z.string().max(10_000).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'must change status or notes' });

export const submitBody = z
  .strictObject({ summary: text(4000).optional().describe('For the reviewer; default: a generated one') })
  .optional();

export const exceptionBody = z.strictObject({
  item_index: z
    .number()
    .int()
    .min(0)
    .max(199)
    .optional()
    .describe('The item; omitted: an exception for the whole checklist'),
  reason: text(4000),
});

export const rejectBody = z.strictObject({ reason: text(4000) });
