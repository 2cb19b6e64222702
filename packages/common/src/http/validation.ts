import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors';
import { undecodableQueryParam } from '../util/text';

function issueType(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && value === undefined) return 'missing';
  return issue.code;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Maps a zod error to the `loc/msg/type` list of spec §5, rooted at `where` (body, query, path). */
export function zodIssues(err: z.ZodError, where: string, input: unknown): ValidationIssue[] {
  return err.issues.map((issue) => {
    const value = valueAt(input, issue.path);
    const missing = issue.code === 'invalid_type' && value === undefined;
    return {
      loc: [where, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
      msg: missing ? 'field required' : issue.message,
      type: issueType(issue, value),
    };
  });
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodIssues(result.error, where, input));
  return result.data;
}

/** 422 naming the query parameter whose name or value percent-decodes to bytes that are not UTF-8
 * (`%FF`, `%ED%A0%80`): Koa would read them as U+FFFD, silently changing what the client sent. */
export function refuseUndecodableQuery(querystring: string): void {
  const name = undecodableQueryParam(querystring);
  if (name !== undefined)
    throw ValidationError.single(['query', name], 'must percent-encode UTF-8 text', 'invalid_encoding');
}
