import { z } from 'zod';

/** The status of an AegisTenant, written only by the operator through the status subresource. */

export const CONDITION_TYPES = ['Accepted', 'Programmed', 'AdminProvisioned', 'Ready', 'Degraded'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

/** metav1.Condition, with the same limits as upstream. */
export const conditionSchema = z
  .object({
    type: z
      .string()
      .min(1)
      .max(316)
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/,
      )
      .describe('Type of condition in CamelCase: Accepted, Programmed, AdminProvisioned, Ready or Degraded.'),
    status: z.enum(CONDITION_STATUSES).describe('Status of the condition: True, False or Unknown.'),
    observedGeneration: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('metadata.generation the condition was set for.'),
    lastTransitionTime: z.iso
      .datetime()
      .describe('Last time the condition changed from one status to another.'),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe('Programmatic identifier in CamelCase for the last transition.'),
    message: z.string().max(32768).describe('Human-readable details about the last transition.'),
  })
  .strict();

export type Condition = z.infer<typeof conditionSchema>;

export const aegisTenantStatusSchema = z
  .object({
    observedGeneration: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('metadata.generation the operator last reconciled.'),
    tenantId: z
      .string()
      .max(63)
      .optional()
      .describe('Tenant identifier in use (spec.tenantId or metadata.name).'),
    configHash: z
      .string()
      .max(64)
      .optional()
      .describe('Hash of the gateway configuration that carries this tenant at its current generation.'),
    conditions: z
      .array(conditionSchema)
      .max(8)
      .optional()
      .describe(
        'Latest observations of the tenant state: Accepted, Programmed, AdminProvisioned, Ready, Degraded.',
      ),
  })
  .strict();

export type AegisTenantStatus = z.infer<typeof aegisTenantStatusSchema>;
