import { enumFilter, listQuerySchema, parseApiNumber, type Role } from '@aegis/common';
import { z } from 'zod';
import { FILING_STATUSES, FORM_TYPES } from './domain';
import { FILING_SORTABLE } from './store/filings';

/** Who moves a filing: its preparer or a reviewer (approving one in review takes a reviewer). */
export const TRANSITION_ROLES: Role[] = ['operator', 'reviewer'];

export const filingId = z.string().regex(/^fil-[0-9a-f]{24}$/, { message: 'must be a filing id (fil-…)' });
export const filingParams = z.object({ id: filingId });

export const filingListOptions = {
  sortable: FILING_SORTABLE,
  defaultSort: 'created_at',
  defaultDir: 'desc',
} as const;

export const filingListQuery = listQuerySchema(filingListOptions).extend({
  status: enumFilter(FILING_STATUSES).optional(),
  form_type: enumFilter(FORM_TYPES).optional(),
  entity_id: z
    .string()
    .min(1)
    .max(200)
    .transform((v) => {
      const api = parseApiNumber(v);
      return api.ok ? api.value : v.trim();
    })
    .optional()
    .describe('A well’s API number (any written form) or a lease id'),
  checklist_id: z.string().max(64).optional(),
});

export const transitionBody = z.strictObject({
  to: z.enum(FILING_STATUSES),
  reason: z.string().min(1).max(2000).optional(),
});

const statusSchema = z.enum(FILING_STATUSES).meta({
  id: 'FilingStatus',
  description:
    'draft → in_review | rejected; in_review → approved | draft | rejected; approved → submitted | rejected; rejected → draft; submitted is final.',
});

const summaryFields = {
  filing_id: z.string(),
  checklist_id: z.string(),
  approval_id: z.string(),
  form_type: z.enum(FORM_TYPES),
  entity_label: z.string(),
  entity_id: z.string(),
  title: z.string(),
  status: statusSchema,
  source_sha256: z.string().describe('SHA-256 of the canonical JSON of `source`'),
  document: z.object({
    media_type: z.literal('application/pdf'),
    size_bytes: z.number().int(),
    sha256: z.string(),
    url: z.string().describe('The download path (under /api/v1 through the gateway)'),
  }),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
};

export const filingSummary = z.object(summaryFields).meta({ id: 'FilingSummary' });

export const filingView = z
  .object({
    ...summaryFields,
    source: z
      .record(z.string(), z.unknown())
      .describe(
        'The data the package was built from: the checklist items with their evidence (artifact ids, names, sizes, SHA-256), the exceptions, the entity’s facts (operator, lease, well, and the flaring figures for R-32 or the Rule 37 spacing for W-1) and the approval',
      ),
    history: z.array(
      z.object({
        seq: z.number().int(),
        from: statusSchema.nullable(),
        to: statusSchema,
        actor_id: z.string(),
        reason: z.string().nullable(),
        at: z.string(),
        audit_seq: z
          .number()
          .int()
          .nullable()
          .describe('The approvals audit entry recording the change; null while it is pending'),
      }),
    ),
  })
  .meta({ id: 'Filing' });
