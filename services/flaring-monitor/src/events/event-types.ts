import {
  FIELD_DATE_RULES,
  FIELD_TYPES,
  resourceId,
  validateFieldValues,
  type FieldRule,
  type ValidationIssue,
} from '@aegis/common';
import { z } from 'zod';

/** User-defined event types: typed fields, the lifecycle and the rules for changing a type that
 * events already use. Pure: schemas, rules and the validator, no I/O. */

export const EVENT_FIELD_TYPES = [...FIELD_TYPES, 'enum'] as const;
export type EventFieldType = (typeof EVENT_FIELD_TYPES)[number];

export const EVENT_TYPE_STATUSES = ['draft', 'active', 'deprecated'] as const;
export type EventTypeStatus = (typeof EVENT_TYPE_STATUSES)[number];

/** The lifecycle (api.md §8): `draft → active → deprecated`; any other move is a 409. */
export const TRANSITIONS: Readonly<Record<EventTypeStatus, readonly EventTypeStatus[]>> = {
  draft: ['active'],
  active: ['deprecated'],
  deprecated: [],
};

export function canTransition(from: EventTypeStatus, to: EventTypeStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const TYPE_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export interface EventField {
  field_id: string;
  name: string;
  type: EventFieldType;
  required: boolean;
  description?: string;
  /** The allowed values of an `enum` field. */
  values?: string[];
  /** Inclusive bounds: numbers for number/integer, lengths for string, ISO text for date/datetime. */
  min?: number | string;
  max?: number | string;
  position: number;
}

export interface EventType {
  type_id: string;
  key: string;
  name: string;
  description: string | null;
  status: EventTypeStatus;
  fields: EventField[];
  /** Built-in types are always active, not editable, and accept data keys beyond their fields. */
  built_in: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

const fieldShape = {
  name: z.string().regex(FIELD_NAME_PATTERN, { message: 'must be a field name (letters, digits, _)' }),
  type: z.enum(EVENT_FIELD_TYPES),
  required: z.boolean(),
  description: z.string().max(500),
  values: z.array(z.string().min(1).max(200)).min(1).max(200),
  min: z.union([z.number(), z.string()]),
  max: z.union([z.number(), z.string()]),
};

type FieldDraft = Omit<EventField, 'field_id' | 'position'>;

/** Problems with a field definition as a whole, each with the key it is about. */
export function fieldIssues(f: FieldDraft): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (f.type === 'enum' && !f.values) issues.push({ path: 'values', message: 'required for type enum' });
  if (f.type !== 'enum' && f.values) issues.push({ path: 'values', message: 'applies only to type enum' });
  if (f.values && new Set(f.values).size !== f.values.length)
    issues.push({ path: 'values', message: 'must be unique' });
  for (const key of ['min', 'max'] as const) {
    const v = f[key];
    if (v === undefined) continue;
    if (f.type === 'boolean' || f.type === 'enum')
      issues.push({ path: key, message: `not allowed for ${f.type}` });
    else if (f.type === 'date' || f.type === 'datetime') {
      if (typeof v !== 'string' || !FIELD_DATE_RULES[f.type].test(v))
        issues.push({ path: key, message: FIELD_DATE_RULES[f.type].message });
    } else if (typeof v !== 'number') issues.push({ path: key, message: 'must be a number' });
  }
  if (issues.length === 0 && f.min !== undefined && f.max !== undefined && f.min > f.max)
    issues.push({ path: 'max', message: 'must not be below min' });
  return issues;
}

function refineField(f: FieldDraft, ctx: z.RefinementCtx): void {
  for (const issue of fieldIssues(f))
    ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
}

export const fieldCreateSchema = z
  .strictObject({
    name: fieldShape.name,
    type: fieldShape.type,
    required: fieldShape.required.default(false),
    description: fieldShape.description.optional(),
    values: fieldShape.values.optional(),
    min: fieldShape.min.optional(),
    max: fieldShape.max.optional(),
  })
  .superRefine(refineField);
export type FieldCreate = z.output<typeof fieldCreateSchema>;

/** A field patch: `null` removes an optional setting (description, min, max). */
export const fieldPatchSchema = z
  .strictObject({
    name: fieldShape.name.optional(),
    type: fieldShape.type.optional(),
    required: fieldShape.required.optional(),
    description: fieldShape.description.nullable().optional(),
    values: fieldShape.values.optional(),
    min: fieldShape.min.nullable().optional(),
    max: fieldShape.max.nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'must change at least one field' })
  .meta({ minProperties: 1 });
export type FieldPatch = z.output<typeof fieldPatchSchema>;

export const eventTypeCreateSchema = z.strictObject({
  key: z
    .string()
    .regex(TYPE_KEY_PATTERN, { message: 'must be lower-case letters, digits and _, starting with a letter' }),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  fields: z
    .array(fieldCreateSchema)
    .max(100)
    .refine((fs) => new Set(fs.map((f) => f.name)).size === fs.length, {
      message: 'field names must be unique',
    })
    .default([]),
});

export const eventTypePatchSchema = z
  .strictObject({
    key: eventTypeCreateSchema.shape.key.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'must change at least one field' })
  .meta({ minProperties: 1 });

export const transitionSchema = z.strictObject({ status: z.enum(EVENT_TYPE_STATUSES) });

/** Applies a patch to a field; `null` clears. Returns the new definition (checked by fieldIssues). */
export function patchField(f: EventField, p: FieldPatch): EventField {
  const next: EventField = { ...f };
  for (const key of ['name', 'type', 'required', 'values'] as const) {
    if (p[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = p[key];
  }
  for (const key of ['description', 'min', 'max'] as const) {
    const v = p[key];
    if (v === null) delete next[key];
    else if (v !== undefined) (next as unknown as Record<string, unknown>)[key] = v;
  }
  if (next.type !== 'enum') delete next.values;
  return next;
}

/** Renumbers positions 0..n-1 in list order. */
export function renumber(fields: readonly EventField[]): EventField[] {
  return fields.map((f, position) => ({ ...f, position }));
}

/** The field ids of a reorder must be exactly the type's, each once: else an issue naming why. */
export function reorderIssue(fields: readonly EventField[], ids: readonly string[]): string | undefined {
  const known = new Set(fields.map((f) => f.field_id));
  if (new Set(ids).size !== ids.length) return 'must list each field id once';
  const unknown = ids.find((id) => !known.has(id));
  if (unknown) return `${unknown} is not a field of this type`;
  if (ids.length !== known.size) return 'must list every field id of the type';
  return undefined;
}

function asRule(f: EventField): FieldRule {
  return f.type === 'enum'
    ? { name: f.name, type: 'string', required: f.required, enum: f.values }
    : { name: f.name, type: f.type, required: f.required, min: f.min, max: f.max };
}

/** Validates an event's data against its type's fields (loc `[...at, field]`). Keys that name no
 * field are refused, except on built-in types, whose producers may add context. */
export function validateEventData(
  type: Pick<EventType, 'key' | 'fields' | 'built_in'>,
  data: Record<string, unknown>,
  at: (string | number)[] = ['body', 'data'],
): ValidationIssue[] {
  const issues = validateFieldValues(type.fields.map(asRule), data, at);
  if (!type.built_in) {
    const names = new Set(type.fields.map((f) => f.name));
    for (const key of Object.keys(data))
      if (!names.has(key))
        issues.push({
          loc: [...at, key],
          msg: `is not a field of event type ${type.key}`,
          type: 'extra_forbidden',
        });
  }
  return issues;
}

/** The built-in types (always active, not editable). `compliance_alert` is how the compliance
 * monitor publishes its alerts on the stream: the alert's keys plus any context. */
export const BUILT_IN_TYPES: readonly EventType[] = [
  {
    type_id: 'et-00000000-0000-4000-8000-000000000001',
    key: 'compliance_alert',
    name: 'Compliance alert',
    description:
      'An alert recorded by the compliance monitor (level, code, the rule and data that produced it).',
    status: 'active',
    built_in: true,
    version: 1,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    fields: renumber(
      (
        [
          { name: 'level', type: 'enum', required: true, values: ['critical', 'warning', 'info'] },
          { name: 'code', type: 'string', required: true, min: 1, max: 100 },
          { name: 'rule', type: 'string', required: true, min: 1, max: 200 },
          { name: 'message', type: 'string', required: true, min: 1, max: 2000 },
          { name: 'alert_id', type: 'string', required: false },
          { name: 'dedupe_key', type: 'string', required: false },
        ] as const
      ).map((f, i) => ({
        ...f,
        values: 'values' in f ? [...f.values] : undefined,
        field_id: `fld-00000000-0000-4000-8000-00000000010${i}`,
        position: i,
      })),
    ),
  },
];

export function builtInType(keyOrId: string): EventType | undefined {
  return BUILT_IN_TYPES.find((t) => t.key === keyOrId || t.type_id === keyOrId);
}

/** An event type's path parameter: its `et-…` id or its key. */
export const typeRefSchema = resourceId();
