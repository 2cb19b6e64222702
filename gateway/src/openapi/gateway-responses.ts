import { OPENAPI_ERROR_SCHEMA, OPENAPI_SECURITY_SCHEMES } from '@aegis/common';
import { isPublicRequest } from '../middleware/authenticate';
import type { Components } from './components';

/** The owner name of what the gateway itself adds to the merged document. */
export const GATEWAY_OWNER = 'gateway';

const error = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const integerHeader = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
const textHeader = (description: string) => ({ description, schema: { type: 'string' } });

/** What the gateway declares: the two ways to send a token (spec §2), the one error shape (spec §5)
 * and the error responses the gateway answers itself, before a request reaches a service. */
export const GATEWAY_COMPONENTS: Components = {
  securitySchemes: { ...OPENAPI_SECURITY_SCHEMES },
  schemas: { Error: OPENAPI_ERROR_SCHEMA },
  responses: {
    GatewayBadPath: error(
      'Malformed request path (dot segments or encoded separators), refused by the gateway',
    ),
    GatewayUnauthorized: error('Missing, invalid or expired token (checked by the gateway)'),
    GatewayForbidden: error(
      "The token's tenant is unknown, suspended or not enabled for this service, or tenant_id names another tenant",
    ),
    GatewayPayloadTooLarge: error('The body is larger than the route allows'),
    GatewayRateLimited: error('Over the rate limit of the caller (spec §4)', {
      'Retry-After': integerHeader('Seconds until a request may succeed'),
      RateLimit: textHeader('IETF RateLimit header: remaining quota and reset'),
      'RateLimit-Policy': textHeader('IETF RateLimit-Policy header: the limit that applied'),
    }),
  },
};

/** Every token-carrying way the gateway accepts, as a security requirement (either one). */
const GATEWAY_SECURITY = Object.keys(OPENAPI_SECURITY_SCHEMES).map((scheme) => ({ [scheme]: [] }));

interface Operation {
  security?: Record<string, unknown>[];
  requestBody?: unknown;
  parameters?: { in?: string; $ref?: string }[];
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}

/** True when a security requirement list lets a request through without any token. */
const allowsAnonymous = (security: Record<string, unknown>[] | undefined) =>
  !security || security.length === 0 || security.some((r) => Object.keys(r).length === 0);

/**
 * An operation as a client sees it through the gateway: the gateway authenticates every request but
 * logging in and the signing keys, so such an operation requires a token even when the service's
 * own document says nothing; and the gateway's own error answers are listed next to the service's
 * (a service's own description of the same status wins). `name` gives the merged component names
 * of the gateway's declarations.
 */
export function throughGateway(
  method: string,
  publicPath: string,
  op: Operation,
  name: (kind: string, n: string) => string,
): Operation {
  const authenticated = !isPublicRequest(method.toUpperCase(), publicPath);
  const ref = (n: string) => ({ $ref: `#/components/responses/${name('responses', n)}` });
  const added: Record<string, unknown> = {};
  if (publicPath.includes('{')) added['400'] = ref('GatewayBadPath');
  if (authenticated) {
    added['401'] = ref('GatewayUnauthorized');
    added['403'] = ref('GatewayForbidden');
  }
  if (op.requestBody) added['413'] = ref('GatewayPayloadTooLarge');
  added['429'] = ref('GatewayRateLimited');
  const responses = { ...op.responses };
  for (const [status, response] of Object.entries(added)) responses[status] ??= response;
  const sortedResponses = Object.fromEntries(
    Object.entries(responses).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const security =
    authenticated && allowsAnonymous(op.security)
      ? GATEWAY_SECURITY.map((r) =>
          Object.fromEntries(Object.entries(r).map(([s, v]) => [name('securitySchemes', s), v])),
        )
      : op.security;
  return { ...op, ...(security ? { security } : {}), responses: sortedResponses };
}
