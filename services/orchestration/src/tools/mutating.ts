import { resourceId } from '@aegis/common';
import { isLabel, LABELS } from '@aegis/graph-client';
import { z } from 'zod';
import { addDays } from '../domain/filing';
import { defineTool, kg, wellId } from './define';
import type { ToolContext } from './types';

/**
 * The tools that change records. Each stops the run at an approval checkpoint (`mutating.approval`)
 * and runs only once a reviewer approved (with the reviewer's modifications, if any). What they write
 * is keyed by the run, so replaying the frozen call after a restart writes the same record again
 * rather than a second one (the graph's bulk upsert).
 */

const isoNow = (ctx: ToolContext) => new Date(ctx.now()).toISOString();

interface Written {
  label: string;
  entity_id: string;
  status: string;
}

/** Upserts one entity and its APPLIES_TO edge in one transaction of the graph. */
async function writeWithEdge(
  ctx: ToolContext,
  entity: { label: string; entity_id: string; properties: Record<string, unknown> },
  to: { label: string; id: string },
): Promise<void> {
  await kg(ctx, 'POST', '/entities/bulk', {
    entities: [entity],
    edges: [
      {
        from_label: entity.label,
        from_id: entity.entity_id,
        rel_type: 'APPLIES_TO',
        to_label: to.label,
        to_id: to.id,
      },
    ],
  });
}

const draft = z
  .record(z.string(), z.unknown())
  .default({})
  .describe('The assembled draft (assemble_filing_draft).');
const summary = z.string().min(1).max(2000).describe('One paragraph for the reviewer.');

async function writeFilingPackage(
  ctx: ToolContext,
  formType: string,
  well: string,
  properties: Record<string, unknown>,
): Promise<Written & { form_type: string; well_id: string }> {
  const id = `FP-${formType}-${well}-${ctx.runId}`;
  await writeWithEdge(
    ctx,
    {
      label: 'FilingPackage',
      entity_id: id,
      properties: {
        form_type: formType,
        status: 'submitted',
        well_id: well,
        submitted_by: ctx.userId,
        submitted_at: isoNow(ctx),
        conversation_id: ctx.conversationId,
        run_id: ctx.runId,
        ...properties,
      },
    },
    { label: 'Well', id: well },
  );
  return { label: 'FilingPackage', entity_id: id, status: 'submitted', form_type: formType, well_id: well };
}

export const submitFilingTool = defineTool({
  name: 'submit_filing',
  description:
    'Submits an assembled filing (Form R-32 or W-1) as a filing package of the well. Mutating: stops at the pre_filing approval and runs only once a reviewer approved.',
  input: z.strictObject({
    form_type: z.enum(['R-32', 'W-1']),
    well_id: wellId,
    summary,
    draft,
  }),
  mutating: {
    checkpoint: 'pre_filing',
    approval: (args) => ({
      checkpoint_type: 'pre_filing',
      payload: {
        filing_type: args.form_type,
        entity_id: args.well_id,
        summary: args.summary,
        draft: args.draft,
      },
    }),
  },
  run: (args, ctx) =>
    writeFilingPackage(ctx, args.form_type, args.well_id, { summary: args.summary, data: args.draft }),
});

export const fileSpacingExceptionTool = defineTool({
  name: 'file_spacing_exception',
  description:
    'Files a Rule 37 spacing exception (Form W-1, 16 TAC §3.37) for a well with its good-cause narrative. Mutating: stops at the good_cause_review approval (the reviewer checks the narrative) and runs only once approved.',
  input: z.strictObject({
    well_id: wellId,
    good_cause_narrative: z.string().min(1).max(10_000),
    summary,
    draft,
  }),
  mutating: {
    checkpoint: 'good_cause_review',
    approval: (args) => ({
      checkpoint_type: 'good_cause_review',
      payload: {
        filing_type: 'W-1',
        entity_id: args.well_id,
        summary: args.summary,
        good_cause_narrative: args.good_cause_narrative,
        draft: args.draft,
      },
    }),
  },
  run: (args, ctx) =>
    writeFilingPackage(ctx, 'W-1', args.well_id, {
      summary: args.summary,
      good_cause_narrative: args.good_cause_narrative,
      rule: '16 TAC §3.37',
      data: args.draft,
    }),
});

export const attachEmissionsEstimateTool = defineTool({
  name: 'attach_emissions_estimate',
  description:
    'Records an emissions estimate (from flaring_emissions) as a filing package of the well, for the R-32 application. Mutating: stops at the emissions_review approval (a reviewer checks the figures and the gas composition used) and runs only once approved.',
  input: z.strictObject({
    well_id: wellId,
    summary,
    estimate: z.record(z.string(), z.unknown()).describe('The flaring_emissions result, as returned.'),
  }),
  mutating: {
    checkpoint: 'emissions_review',
    approval: (args) => ({
      checkpoint_type: 'emissions_review',
      payload: {
        filing_type: 'R-32',
        entity_id: args.well_id,
        summary: args.summary,
        estimate: args.estimate,
      },
    }),
  },
  run: (args, ctx) =>
    writeFilingPackage(ctx, 'R-32-EMISSIONS', args.well_id, {
      summary: args.summary,
      rule: '16 TAC §3.32',
      data: args.estimate,
    }),
});

export const raiseComplianceAlertTool = defineTool({
  name: 'raise_compliance_alert',
  description:
    'Raises a compliance alert for review: once a reviewer approves, a follow-up compliance deadline is recorded on the entity (due in `due_in_days`). Mutating: stops at the compliance_alert approval.',
  input: z.strictObject({
    entity_label: z.string().refine(isLabel, { message: `must be one of: ${LABELS.join(', ')}` }),
    entity_id: resourceId(),
    level: z.enum(['critical', 'warning']),
    summary,
    alerts: z
      .array(z.strictObject({ code: z.string().max(100), message: z.string().max(2000) }))
      .max(100)
      .default([]),
    due_in_days: z.number().int().min(0).max(365).default(7),
  }),
  mutating: {
    checkpoint: 'compliance_alert',
    approval: (args) => ({
      checkpoint_type: 'compliance_alert',
      payload: {
        entity_id: args.entity_id,
        entity_label: args.entity_label,
        summary: args.summary,
        level: args.level,
        alerts: args.alerts,
      },
    }),
  },
  run: async (args, ctx): Promise<Written & { due_date: string }> => {
    const id = `DL-ALERT-${ctx.runId}`;
    const due = addDays(isoNow(ctx).slice(0, 10), args.due_in_days);
    await writeWithEdge(
      ctx,
      {
        label: 'ComplianceDeadline',
        entity_id: id,
        properties: {
          title: args.summary.slice(0, 200),
          deadline_type: 'Compliance alert follow-up',
          due_date: due,
          status: 'open',
          level: args.level,
          alerts: args.alerts,
          raised_by: ctx.userId,
          run_id: ctx.runId,
        },
      },
      { label: args.entity_label, id: args.entity_id },
    );
    return { label: 'ComplianceDeadline', entity_id: id, status: 'open', due_date: due };
  },
});
