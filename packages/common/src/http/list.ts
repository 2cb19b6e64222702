import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors';
import { parseWith } from './validation';

export interface ListParams {
  limit: number;
  offset: number;
  page: number;
  pageSize: number;
  /** Which style the caller used; the envelope echoes limit/offset only for that style. */
  style: 'page' | 'offset';
  sortBy: string;
  sortDir: 'asc' | 'desc';
}

export interface ListOptions<C extends string> {
  /** Whitelisted sortable columns: the public name maps to nothing else. */
  sortable: readonly C[];
  defaultSort: C;
  defaultDir?: 'asc' | 'desc';
  maxPageSize?: number;
}

export interface ListEnvelope<T> {
  data: T[];
  total: number;
  page: number;
  page_size: number;
  limit?: number;
  offset?: number;
}

const intParam = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be an integer' })
    .int({ message: 'must be an integer' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

/** A filter with a fixed set of values (`status`, `kind`, ...): any other value is a 422 listing them. */
export function enumFilter<const V extends readonly [string, ...string[]]>(values: V) {
  return z.enum(values, { message: `must be one of: ${values.join(', ')}` });
}

/** What a route's query schema accepts, as `checkQueryParameters` needs it. */
export interface QueryRules {
  /** Declared parameter names. */
  names: ReadonlySet<string>;
  /** Declared parameters that take a list (and so may be repeated). */
  lists: ReadonlySet<string>;
  /** The schema takes parameters it does not name (a catchall, e.g. property filters). */
  open: boolean;
}

function takesList(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const s = schema as { type?: unknown; anyOf?: unknown[]; oneOf?: unknown[] };
  if (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array'))) return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(takesList);
}

/** Reads the rules of a query schema (a zod object) once, when a route is declared. */
export function queryRules(schema: z.ZodType): QueryRules {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    additionalProperties?: unknown;
  };
  const properties = json.properties ?? {};
  return {
    names: new Set(Object.keys(properties)),
    lists: new Set(Object.keys(properties).filter((name) => takesList(properties[name]))),
    open: json.additionalProperties !== undefined && json.additionalProperties !== false,
  };
}

/**
 * The one rule for query strings, on every route that declares its query: a parameter the route does
 * not declare (a typo, `page[]`) and a scalar parameter given more than once (`page=1&page=2`) are a
 * 422 naming it, never silently ignored, so a mistyped filter cannot return unfiltered data.
 * `tenant_id` is always allowed (`authorize` checks it).
 */
export function checkQueryParameters(query: Readonly<Record<string, unknown>>, rules: QueryRules): void {
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (name === 'tenant_id' && !rules.names.has(name)) {
      if (Array.isArray(value))
        issues.push({ loc: ['query', name], msg: 'must be given once', type: 'repeated' });
      continue;
    }
    if (!rules.names.has(name) && !rules.open) {
      const known = [...rules.names].join(', ');
      issues.push({
        loc: ['query', name],
        msg: known
          ? `unknown parameter (this route takes: ${known})`
          : 'unknown parameter (this route takes none)',
        type: 'unknown_parameter',
      });
    } else if (Array.isArray(value) && !rules.lists.has(name)) {
      issues.push({ loc: ['query', name], msg: 'must be given once', type: 'repeated' });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The largest `offset` a list accepts (a billion rows in). */
export const MAX_OFFSET = 1_000_000_000;

/** The §6 list parameters as a zod object (page/page_size or limit/offset, whitelisted sort_by,
 * sort_dir or sort_order), for a route's `query`; `toListParams` turns its output into `ListParams`. */
export function listQuerySchema<C extends string>(options: ListOptions<C>) {
  const max = options.maxPageSize ?? 100;
  // Offsets are bounded so the page an offset falls on (offset / limit + 1) stays an exact integer.
  return z.object({
    page: intParam(1, 1_000_000).optional(),
    page_size: intParam(1, max).optional(),
    limit: intParam(1, max).optional(),
    offset: intParam(0, MAX_OFFSET).optional(),
    sort_by: enumFilter(options.sortable as unknown as [C, ...C[]]).optional(),
    sort_dir: enumFilter(['asc', 'desc']).optional(),
    sort_order: enumFilter(['asc', 'desc']).optional(),
  });
}

export type ListQuery<C extends string> = z.output<ReturnType<typeof listQuerySchema<C>>>;

export function toListParams<C extends string>(
  q: ListQuery<C>,
  options: ListOptions<C>,
): ListParams & { sortBy: C } {
  const max = options.maxPageSize ?? 100;
  const sortBy = q.sort_by ?? options.defaultSort;
  const sortDir = q.sort_dir ?? q.sort_order ?? options.defaultDir ?? 'asc';
  if (q.limit !== undefined || q.offset !== undefined) {
    const limit = q.limit ?? Math.min(50, max);
    const offset = q.offset ?? 0;
    return {
      style: 'offset',
      limit,
      offset,
      pageSize: limit,
      page: Math.floor(offset / limit) + 1,
      sortBy,
      sortDir,
    };
  }
  const pageSize = q.page_size ?? Math.min(20, max);
  const page = q.page ?? 1;
  return { style: 'page', page, pageSize, limit: pageSize, offset: (page - 1) * pageSize, sortBy, sortDir };
}

/** Parses §6 list parameters: page/page_size or limit/offset, whitelisted sort_by, sort_dir or sort_order. */
export function parseListParams<C extends string>(
  query: Record<string, unknown>,
  options: ListOptions<C>,
): ListParams & { sortBy: C } {
  const schema = listQuerySchema(options);
  checkQueryParameters(query, queryRules(schema));
  return toListParams(parseWith(schema, query, 'query'), options);
}

/** The JSON body of a list answer (`listEnvelope`), for a route's `responses`. */
export function listEnvelopeSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
    limit: z.number().int().optional(),
    offset: z.number().int().optional(),
  });
}

export function listEnvelope<T>(data: T[], total: number, params: ListParams): ListEnvelope<T> {
  const envelope: ListEnvelope<T> = { data, total, page: params.page, page_size: params.pageSize };
  if (params.style === 'offset') {
    envelope.limit = params.limit;
    envelope.offset = params.offset;
  }
  return envelope;
}

/** The envelope of one page of a short list held in memory (a tenant's types, say), sorted by
 * `params.sortBy` compared as text; equal keys keep their order. */
export function listInMemory<T extends object>(items: readonly T[], params: ListParams): ListEnvelope<T> {
  const key = (item: T) => String((item as Record<string, unknown>)[params.sortBy]);
  const sign = params.sortDir === 'desc' ? -1 : 1;
  const sorted = [...items].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
  return listEnvelope(sorted.slice(params.offset, params.offset + params.limit), sorted.length, params);
}
