import { z } from 'zod';

/** An OpenAPI v3 schema node as a CRD accepts it (structural: one type per node, no $ref, no anyOf
 * for nullability, no additionalProperties: false, every field described). */
export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface CelRule {
  rule: string;
  message: string;
  /** A CEL expression building the message (it wins over `message` when it evaluates). */
  messageExpression?: string;
  /** JSONPath-like path (from the node) of the field the error names. */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

/** Extra keywords for a node, addressed by a dotted path from the root ('' is the root,
 * `routes[]` the items of `routes`). */
export type Overlay = Record<string, Partial<SchemaNode>>;

const KEPT = new Set<keyof SchemaNode>([
  'type',
  'description',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'enum',
  'default',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'maxProperties',
]);

/** JSON Schema keywords zod emits that a structural schema cannot carry. */
const DROPPED = new Set(['$schema', 'propertyNames', 'additionalProperties', '$id', 'id']);

class SchemaConversionError extends Error {}

function convert(
  node: Record<string, unknown>,
  path: string,
  overlay: Overlay,
  used: Set<string>,
): SchemaNode {
  for (const key of ['$ref', 'anyOf', 'oneOf', 'allOf', 'not', '$defs', 'definitions']) {
    if (key in node) throw new SchemaConversionError(`${path || '(root)'}: ${key} is not structural`);
  }
  if (Array.isArray(node.type)) throw new SchemaConversionError(`${path || '(root)'}: several types`);
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) && !(key === 'additionalProperties' && typeof value === 'object')) continue;
    if (!KEPT.has(key as keyof SchemaNode) && !DROPPED.has(key)) {
      throw new SchemaConversionError(`${path || '(root)'}: unsupported keyword ${key}`);
    }
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Record<string, unknown>>).map(([name, child]) => [
          name,
          convert(child, path ? `${path}.${name}` : name, overlay, used),
        ]),
      );
    } else if (key === 'items') {
      out.items = convert(value as Record<string, unknown>, `${path}[]`, overlay, used);
    } else if (key === 'additionalProperties') {
      out.additionalProperties = convert(value as Record<string, unknown>, `${path}{}`, overlay, used);
    } else if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) {
      // zod's int() bound, not a constraint of ours.
    } else if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) {
      // likewise
    } else {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  // A date-time string is checked by its format; zod's regex is redundant and too heavy for CEL costs.
  if (out.format === 'date-time') delete out.pattern;
  const extra = overlay[path];
  if (extra) {
    used.add(path);
    Object.assign(out, extra);
  }
  return out;
}

/** Every node that lacks a description, as paths. */
export function undescribed(node: SchemaNode, path = ''): string[] {
  const missing = node.description ? [] : [path || '(root)'];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    missing.push(...undescribed(child, path ? `${path}.${name}` : name));
  }
  if (node.items) missing.push(...undescribed(node.items, `${path}[]`));
  if (node.additionalProperties) missing.push(...undescribed(node.additionalProperties, `${path}{}`));
  return missing;
}

/** Converts a zod schema (input side: defaults apply, so defaulted fields are optional) to a
 * structural OpenAPI v3 schema, adding the overlay's keywords. Throws on anything a CRD would reject,
 * on an overlay path that matches no node, and on a node without a description. */
export function toStructuralSchema(schema: z.ZodType, overlay: Overlay = {}): SchemaNode {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw', target: 'draft-2020-12' });
  const used = new Set<string>();
  const out = convert(json, '', overlay, used);
  const unused = Object.keys(overlay).filter((p) => !used.has(p));
  if (unused.length > 0)
    throw new SchemaConversionError(`overlay paths match no field: ${unused.join(', ')}`);
  const missing = undescribed(out);
  if (missing.length > 0)
    throw new SchemaConversionError(`fields without a description: ${missing.join(', ')}`);
  return out;
}
