import { z } from 'zod';
import {
  ERROR_STATUSES,
  errorSchema,
  OPENAPI_SECURITY,
  OPENAPI_SECURITY_SCHEMES,
  type ErrorStatus,
} from './openapi';
import type { Operation, ResponseSpec } from './route';

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  /** Defaults to the gateway's public base (`http://localhost:8000/api/v1`). */
  servers?: { url: string; description?: string }[];
}

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

const DEFS = /^#\/\$defs\/(.+)$/;
const PLACEHOLDER = /^#\/components\/schemas\/(.+)~(input|output)$/;

function isZod(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

function mapRefs(value: unknown, rewrite: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, rewrite));
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' ? rewrite(v) : mapRefs(v, rewrite);
    }
    return out;
  }
  return value;
}

/** Converts zod schemas with `z.toJSONSchema`, moving schemas that carry an `id` (`.meta({ id })`) to
 * `components.schemas`. Input and output forms of one id share a name when they are equal and are
 * `Name` / `NameInput` when they differ (defaults, coercions, unknown-key handling). */
class SchemaSet {
  private readonly defs = { input: new Map<string, unknown>(), output: new Map<string, unknown>() };

  convert(schema: z.ZodType, io: Io): Json {
    const json = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
      reused: 'inline',
      cycles: 'ref',
    }) as Json;
    const { $schema: _s, $defs, ...rest } = json;
    const toPlaceholder = (ref: string) => {
      const m = DEFS.exec(ref);
      return m ? `#/components/schemas/${m[1]}~${io}` : ref;
    };
    for (const [name, def] of Object.entries(($defs ?? {}) as Json)) {
      const { $id: _i, ...clean } = def as Json;
      this.defs[io].set(name, mapRefs(clean, toPlaceholder));
    }
    return mapRefs(rest, toPlaceholder) as Json;
  }

  /** Final component names, and the components themselves. */
  finish(): { name: (id: string, io: Io) => string; schemas: Json } {
    const schemas: Json = {};
    const names = new Map<string, string>();
    const ids = new Set([...this.defs.input.keys(), ...this.defs.output.keys()]);
    for (const id of [...ids].sort()) {
      const input = this.defs.input.get(id);
      const output = this.defs.output.get(id);
      if (output !== undefined) schemas[id] = output;
      if (input !== undefined) {
        const same = output === undefined || JSON.stringify(input) === JSON.stringify(output);
        names.set(`${id}~input`, same ? id : `${id}Input`);
        if (!same) schemas[`${id}Input`] = input;
        else if (output === undefined) schemas[id] = input;
      }
      names.set(`${id}~output`, id);
    }
    return { name: (id, io) => names.get(`${id}~${io}`) ?? id, schemas };
  }
}

function content(schema: z.ZodType | Json | undefined, io: Io, set: SchemaSet): Json {
  return schema === undefined ? {} : { schema: isZod(schema) ? set.convert(schema, io) : schema };
}

function response(spec: ResponseSpec, set: SchemaSet): Json {
  if (spec === null) return { description: 'No content' };
  if (isZod(spec))
    return { description: 'OK', content: { 'application/json': content(spec, 'output', set) } };
  const out: Json = { description: spec.description };
  if (spec.content) {
    out.content = Object.fromEntries(
      Object.entries(spec.content).map(([type, c]) => [type, content(c.schema, 'output', set)]),
    );
  }
  if (spec.headers) out.headers = spec.headers;
  return out;
}

/** Splits a JSON Schema object into OpenAPI parameters (`in: path` ones are always required). */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', set: SchemaSet): Json[] {
  if (!schema) return [];
  const json = set.convert(schema, 'input') as { properties?: Json; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...propSchema } = s as Json;
    const param: Json = {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: propSchema,
    };
    if (typeof description === 'string') param.description = description;
    return param;
  });
}

const TENANT_PARAM = {
  name: 'tenant_id',
  in: 'query',
  required: false,
  description:
    'Tenant to act on; only a platform admin may name a tenant other than the token’s (403 cross_tenant)',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
};

function errorStatuses(op: Operation): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(op.errors ?? []);
  if (op.authenticates) statuses.add(401);
  if (op.roles !== 'public') {
    statuses.add(401);
    statuses.add(403);
    statuses.add(422);
  }
  if (op.params || op.query || op.body) statuses.add(422);
  if (op.body) {
    statuses.add(400);
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort((a, b) => a - b);
}

function security(op: Operation): Json[] {
  const schemes = OPENAPI_SECURITY.map((s) => ({ ...s }));
  if (op.roles !== 'public' || op.authenticates === 'required') return schemes;
  return op.authenticates === 'optional' ? [{}, ...schemes] : [];
}

function operationId(op: Operation): string {
  if (op.operationId) return op.operationId;
  const words = op.path
    .replace(/[{}]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [op.method, ...words].join('_');
}

function operation(op: Operation, set: SchemaSet): Json {
  const params = [...parameters(op.params, 'path', set), ...parameters(op.query, 'query', set)];
  if (op.roles !== 'public' && !params.some((p) => p.name === 'tenant_id' && p.in === 'query'))
    params.push(TENANT_PARAM);
  const out: Json = { operationId: operationId(op), summary: op.summary };
  if (op.description) out.description = op.description;
  if (op.tags) out.tags = [...op.tags];
  out.security = security(op);
  if (op.roles !== 'public') out['x-aegis-roles'] = op.roles === 'any' ? ['any'] : [...op.roles];
  if (params.length > 0) out.parameters = params;
  if (op.body) {
    out.requestBody = {
      required: !op.body.safeParse(undefined).success,
      content: { 'application/json': content(op.body, 'input', set) },
    };
  } else if (op.requestBody) {
    const { description, required } = op.requestBody;
    out.requestBody = {
      ...(description ? { description } : {}),
      required,
      content: Object.fromEntries(
        Object.entries(op.requestBody.content).map(([type, c]) => [
          type,
          { ...content(c.schema, 'input', set), ...(c.encoding ? { encoding: c.encoding } : {}) },
        ]),
      ),
    };
  }
  const responses: Json = {};
  for (const [status, spec] of Object.entries(op.responses)) responses[status] = response(spec, set);
  const error = { 'application/json': content(errorSchema, 'output', set) };
  for (const status of errorStatuses(op)) {
    responses[String(status)] ??= { description: ERROR_STATUSES[status], content: error };
  }
  out.responses = responses;
  return out;
}

/** The OpenAPI 3.1 document of a service, generated from its route declarations: paths in the
 * service's own form (clients add the gateway prefix), components from schemas with an `id`. */
export function openApiDocument(info: OpenApiInfo, operations: readonly Operation[]): Json {
  const set = new SchemaSet();
  const paths: Record<string, Json> = {};
  const tags = new Set<string>();
  for (const op of operations) {
    (paths[op.path] ??= {})[op.method] = operation(op, set);
    for (const t of op.tags ?? []) tags.add(t);
  }
  const { name, schemas } = set.finish();
  const resolve = (ref: string) => {
    const m = PLACEHOLDER.exec(ref);
    return m ? `#/components/schemas/${name(m[1], m[2] as Io)}` : ref;
  };
  const doc: Json = {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      ...(info.description ? { description: info.description } : {}),
    },
    servers: info.servers ?? [{ url: 'http://localhost:8000/api/v1', description: 'through the gateway' }],
    tags: [...tags].sort().map((t) => ({ name: t })),
    paths,
    components: { securitySchemes: OPENAPI_SECURITY_SCHEMES, schemas },
  };
  return mapRefs(doc, resolve) as Json;
}
