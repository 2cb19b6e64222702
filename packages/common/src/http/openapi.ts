import { z } from 'zod';

/** OpenAPI pieces every service document shares: how callers authenticate (spec §2) and the one
 * error shape (spec §5). `openApiDocument` (openapi-document.ts) puts both in every document. */
export const OPENAPI_SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  cookie: { type: 'apiKey', in: 'cookie', name: 'aegis_token' },
} as const;

/** What an authenticated operation requires: the bearer token or the session cookie. */
export const OPENAPI_SECURITY = [{ bearer: [] }, { cookie: [] }] as const;

export const validationIssueSchema = z.object({
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  type: z.string(),
});

/** The one error body of spec §5 (`errorBody` in errors.ts writes it). */
export const errorSchema = z
  .object({
    detail: z.union([z.string(), z.array(validationIssueSchema)]),
    code: z.string(),
    request_id: z.string().optional(),
    error: z
      .string()
      .optional()
      .describe('Present on errors the gateway itself answers (401, 403, 429, 502, ...)'),
  })
  .meta({ id: 'Error', description: 'The error body of every non-2xx answer' });

/** `errorSchema` as JSON Schema, for documents that are not generated from routes. */
export const OPENAPI_ERROR_SCHEMA = (() => {
  const { $schema: _, ...schema } = z.toJSONSchema(errorSchema, { io: 'output', reused: 'inline' }) as Record<
    string,
    unknown
  >;
  const defs = schema.$defs as Record<string, unknown> | undefined;
  return (defs?.Error ?? schema) as Record<string, unknown>;
})();

/** Error statuses an operation may document; each answers the shared error schema. */
export const ERROR_STATUSES = {
  400: 'Malformed request (for example invalid JSON)',
  401: 'Missing, invalid, expired or revoked token',
  403: 'The caller lacks the role, or names a tenant it may not act on',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Request body too large',
  415: 'Unsupported content type',
  422: 'Validation failed: detail lists each problem as loc/msg/type',
  429: 'Rate limited; see Retry-After',
  502: 'An upstream service failed',
  503: 'Not available right now',
} as const;

export type ErrorStatus = keyof typeof ERROR_STATUSES;
