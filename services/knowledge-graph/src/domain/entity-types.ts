import { z } from 'zod';
import {
  ISO_DATE_MESSAGE,
  ISO_DATE_TIME_MESSAGE,
  isIsoDate,
  isIsoDateTime,
  type ValidationIssue,
} from '@aegis/common';
import { LABELS, PROPERTY_NAME_PATTERN } from './labels';

/** Managed entity types: field definitions that validate the properties of every entity whose label
 * is the type's key. Pure: schemas and the validator, no I/O. */
export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date', 'datetime'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** The platform's date and date-time rules (README "API rules"), by field type. */
const DATE_RULES = {
  date: { test: isIsoDate, message: ISO_DATE_MESSAGE },
  datetime: { test: isIsoDateTime, message: ISO_DATE_TIME_MESSAGE },
} as const;

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
      const rule = f.type === 'date' || f.type === 'datetime' ? DATE_RULES[f.type] : undefined;
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

function typeMismatch(type: FieldType, value: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'must be an integer';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be a boolean';
    case 'date':
    case 'datetime':
      return typeof value === 'string' && DATE_RULES[type].test(value) ? undefined : DATE_RULES[type].message;
  }
}

function rangeIssue(field: FieldDefinition, value: unknown): string | undefined {
  const measure = field.type === 'string' ? (value as string).length : (value as number | string);
  const what = field.type === 'string' ? 'length' : 'value';
  if (field.min !== undefined && measure < field.min) return `${what} must be at least ${field.min}`;
  if (field.max !== undefined && measure > field.max) return `${what} must be at most ${field.max}`;
  return undefined;
}

/** Validates properties against field definitions; each issue's loc is `[...at, field name]`. */
export function validateProperties(
  fields: readonly FieldDefinition[],
  properties: Record<string, unknown>,
  at: (string | number)[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const field of fields) {
    const loc = [...at, field.name];
    const value = properties[field.name];
    if (value === undefined || value === null) {
      if (field.required) issues.push({ loc, msg: 'field required', type: 'missing' });
      continue;
    }
    const mismatch = typeMismatch(field.type, value);
    if (mismatch) {
      issues.push({ loc, msg: mismatch, type: 'type_error' });
      continue;
    }
    if (field.enum && !field.enum.includes(value as string | number)) {
      issues.push({ loc, msg: `must be one of: ${field.enum.join(', ')}`, type: 'enum' });
      continue;
    }
    if (field.pattern && !new RegExp(field.pattern, 'u').test(value as string)) {
      issues.push({ loc, msg: `must match ${field.pattern}`, type: 'pattern' });
      continue;
    }
    const range = rangeIssue(field, value);
    if (range) issues.push({ loc, msg: range, type: 'range' });
  }
  return issues;
}
