import { AGENT_TYPES, CHECKPOINT_TYPES } from '@aegis/approvals';
import { z } from 'zod';
import type { AgentDefinition } from './types';

const name = z.string().min(1).max(100);
const budget = z.strictObject({ tokens: z.number().int().positive(), cost_usd: z.number().positive() });

/** The schema of an agent definition file (the shape of `AgentDefinition`). */
export const agentDefinitionSchema = z
  .strictObject({
    agent_id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a lowercase id (a-z, 0-9, -)' }),
    agent_type: z.enum(AGENT_TYPES),
    version: z.number().int().positive(),
    name: z.string().min(1).max(200),
    description: z.string().min(1).max(2000),
    model: z.strictObject({
      primary: name,
      fallback: name.optional(),
      temperature: z.number().min(0).max(2),
      max_tokens: z.number().int().min(1).max(200_000),
    }),
    system_prompt: z.string().min(1).max(20_000),
    tools: z.array(name).max(100),
    skills: z.array(name).max(100),
    approval_checkpoints: z.array(z.enum(CHECKPOINT_TYPES)),
    budgets: z.strictObject({ per_run: budget, per_day: budget }),
    schedule: z
      .strictObject({ prompt: z.string().min(1).max(10_000), raise_alert_approval: z.boolean() })
      .optional(),
  })
  .superRefine((a, ctx) => {
    if (a.budgets.per_run.tokens > a.budgets.per_day.tokens)
      ctx.addIssue({
        code: 'custom',
        path: ['budgets', 'per_run', 'tokens'],
        message: 'exceeds the per-day budget',
      });
    if (a.budgets.per_run.cost_usd > a.budgets.per_day.cost_usd)
      ctx.addIssue({
        code: 'custom',
        path: ['budgets', 'per_run', 'cost_usd'],
        message: 'exceeds the per-day budget',
      });
    for (const [i, list] of [a.tools, a.skills, a.approval_checkpoints].entries()) {
      const dup = list.find((x, j) => list.indexOf(x) !== j);
      if (dup)
        ctx.addIssue({
          code: 'custom',
          path: [['tools', 'skills', 'approval_checkpoints'][i]],
          message: `names ${dup} twice`,
        });
    }
  }) satisfies z.ZodType<AgentDefinition>;
