import { z } from 'zod';

/** What an item asks for: a file (document), a value from the platform's data (data), a statement a
 * responsible person signs (attestation), or a figure a tool computes (calculation). */
export const ITEM_TYPES = ['document', 'data', 'attestation', 'calculation'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** The agents whose filings have checklists (the domain's agent table). */
export const CHECKLIST_AGENT_TYPES = ['rule_32', 'rule_37'] as const;

/** The knowledge-graph labels a checklist can be opened for. */
export const ENTITY_LABELS = ['Well', 'Lease'] as const;
export type EntityLabel = (typeof ENTITY_LABELS)[number];

const toolName = z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, { message: 'must be a tool name' });

export const templateItemSchema = z.strictObject({
  label: z.string().min(1).max(200),
  item_type: z.enum(ITEM_TYPES),
  required: z.boolean(),
  /** The orchestration tool that can assess the item; null when only a person can (a signature). */
  tool_name: toolName.nullable(),
  description: z.string().min(1).max(2000),
});

export const templateSchema = z
  .strictObject({
    template_id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, { message: 'must be a slug' }),
    version: z.number().int().min(1),
    title: z.string().min(1).max(200),
    form_type: z.string().min(1).max(50),
    agent_type: z.enum(CHECKLIST_AGENT_TYPES),
    /** The rule the form belongs to, cited as the RRC writes it. */
    rule: z.string().min(1).max(100),
    entity_labels: z.array(z.enum(ENTITY_LABELS)).min(1),
    items: z.array(templateItemSchema).min(1).max(200),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.items.forEach((item, i) => {
      if (seen.has(item.label))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'label'], message: 'is given twice' });
      seen.add(item.label);
    });
  });

export type TemplateItem = z.output<typeof templateItemSchema>;
export type ChecklistTemplate = z.output<typeof templateSchema>;
