import { z } from 'zod';

/**
 * The one rule for identifiers a client chooses and that later appear as a URL path segment (a
 * knowledge-graph entity id, an identifier ingestion turns into one): 1–200 characters, printable
 * (no control characters, no line or paragraph separators), no leading or trailing whitespace, none of
 * `/ \ ? #` (path and URL delimiters), and not `.` or `..` (dot-segments, which URL normalisation
 * removes). Such an id can always be read back with its percent-encoded form as the path segment.
 * Length counts Unicode code points, as the OpenAPI `maxLength` does.
 */
export const RESOURCE_ID_MAX_LENGTH = 200;

/** Characters never allowed: C0 and C1 controls, DEL, U+2028/U+2029, and `/ \ ? #`. */
const FORBIDDEN = String.raw`\u0000-\u001f\u007f-\u009f\u2028\u2029\/\\?#`;
const EDGE = String.raw`[^\s${FORBIDDEN}]`;
const INNER = String.raw`[^${FORBIDDEN}]`;

/** The pattern of a resource id (flag `u`: the bounds count code points). */
export const RESOURCE_ID_PATTERN = new RegExp(
  String.raw`^(?!\.\.?$)${EDGE}(?:${INNER}{0,${RESOURCE_ID_MAX_LENGTH - 2}}${EDGE})?$`,
  'u',
);

export const RESOURCE_ID_MESSAGE = `must be 1-${RESOURCE_ID_MAX_LENGTH} printable characters without / \\ ? # or control characters, not starting or ending with whitespace, and not . or ..`;

/** Whether `value` follows the resource id rule. */
export function isResourceId(value: string): boolean {
  return RESOURCE_ID_PATTERN.test(value);
}

/** A client-chosen id under the resource id rule (OpenAPI: `pattern` and `maxLength`). */
export function resourceId(message = RESOURCE_ID_MESSAGE) {
  return z
    .string()
    .regex(RESOURCE_ID_PATTERN, { message })
    .meta({ minLength: 1, maxLength: RESOURCE_ID_MAX_LENGTH });
}
