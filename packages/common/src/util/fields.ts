import type { ValidationIssue } from '../errors';
import { ISO_DATE_MESSAGE, ISO_DATE_TIME_MESSAGE, isIsoDate, isIsoDateTime } from '../time/dates';

/** Typed fields that user-defined types declare (knowledge-graph entity types, flaring-monitor event
 * types), and the one validator of values against them. Pure: no I/O. */
export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date', 'datetime'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** What the validator reads of a field definition. */
export interface FieldRule {
  name: string;
  type: FieldType;
  required?: boolean;
  enum?: readonly (string | number)[];
  pattern?: string;
  /** Inclusive range: numbers for number/integer, ISO strings for date/datetime, lengths for string. */
  min?: number | string;
  max?: number | string;
}

/** The platform's date and date-time rules (README "API rules"), by field type. */
export const FIELD_DATE_RULES = {
  date: { test: isIsoDate, message: ISO_DATE_MESSAGE },
  datetime: { test: isIsoDateTime, message: ISO_DATE_TIME_MESSAGE },
} as const;

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
      return typeof value === 'string' && FIELD_DATE_RULES[type].test(value)
        ? undefined
        : FIELD_DATE_RULES[type].message;
  }
}

function rangeIssue(field: FieldRule, value: unknown): string | undefined {
  const measure = field.type === 'string' ? (value as string).length : (value as number | string);
  const what = field.type === 'string' ? 'length' : 'value';
  if (field.min !== undefined && measure < field.min) return `${what} must be at least ${field.min}`;
  if (field.max !== undefined && measure > field.max) return `${what} must be at most ${field.max}`;
  return undefined;
}

/** Validates values against field definitions; each issue's loc is `[...at, field name]`. Keys that
 * name no field are left alone (callers that refuse them say so themselves). */
export function validateFieldValues(
  fields: readonly FieldRule[],
  values: Record<string, unknown>,
  at: (string | number)[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const field of fields) {
    const loc = [...at, field.name];
    const value = values[field.name];
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
