import { z } from 'zod';
import {
  FIELD_DATE_RULES,
  FIELD_TYPES,
  validateFieldValues,
  type FieldType,
  type ValidationIssue,
} from '@aegis/common';
import { LABELS, PROPERTY_NAME_PATTERN } from './labels';

/** Managed entity types: field definitions that validate the properties of every entity whose label
 * is the type's key. Pure: schemas and the validator, no I/O. */
export { FIELD_TYPES, type FieldType };

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

export const fieldDefinitionSchema = z
  .strictObject({
    name: z
      .string()
      .regex(PROPERTY_NAME_PATTERN, { message: 'must be a property name (letters, digits, _)' }),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().default(false),
    description: z.string().max(500).optional(),
    enum: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .max(200)
      .optional(),
    pattern: z
      .string()
      .min(1)
      .max(200)
      .refine(compiles, { message: 'must be a valid regular expression' })
      .optional(),
    /** Inclusive range: numbers for number/integer, ISO strings for date/datetime, lengths for string. */
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.pattern !== undefined && f.type !== 'string')
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'applies only to type string' });
    for (const key of ['min', 'max'] as const) {
      const v = f[key];
      if (v === undefined) continue;
      const rule = f.type === 'date' || f.type === 'datetime' ? FIELD_DATE_RULES[f.type] : undefined;
      if (f.type === 'boolean')
        ctx.addIssue({ code: 'custom', path: [key], message: 'not allowed for boolean' });
      else if (rule && (typeof v !== 'string' || !rule.test(v)))
        ctx.addIssue({ code: 'custom', path: [key], message: rule.message });
      else if (!rule && typeof v !== 'number')
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be a number' });
    }
  });
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;

const fieldsSchema = z
  .array(fieldDefinitionSchema)
  .max(200)
  .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, {
    message: 'field names must be unique',
  });

export const entityTypeCreateSchema = z.strictObject({
  key: z.enum(LABELS, { message: `must be one of the entity labels: ${LABELS.join(', ')}` }),
  display_name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  fields: fieldsSchema.default([]),
});

export const entityTypePatchSchema = z
  .strictObject({
    display_name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    fields: fieldsSchema.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'must change at least one field',
  })
  // The document says so too.
  .meta({ minProperties: 1 });

export interface EntityType {
  key: string;
  displayName: string;
  description: string | null;
  fields: FieldDefinition[];
  createdAt: string;
  updatedAt: string;
}

/** Validates properties against field definitions; each issue's loc is `[...at, field name]`. */
export function validateProperties(
  fields: readonly FieldDefinition[],
  properties: Record<string, unknown>,
  at: (string | number)[],
): ValidationIssue[] {
  return validateFieldValues(fields, properties, at);
}
