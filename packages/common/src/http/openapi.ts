/** OpenAPI pieces every service document shares: how callers authenticate (spec §2) and the one
 * error shape (spec §5). */
export const OPENAPI_SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  cookie: { type: 'apiKey', in: 'cookie', name: 'aegis_token' },
} as const;

export const OPENAPI_ERROR_SCHEMA = {
  type: 'object',
  required: ['detail', 'code'],
  properties: {
    detail: {
      oneOf: [
        { type: 'string' },
        {
          type: 'array',
          items: {
            type: 'object',
            properties: { loc: { type: 'array' }, msg: { type: 'string' }, type: { type: 'string' } },
          },
        },
      ],
    },
    code: { type: 'string' },
    request_id: { type: 'string' },
  },
} as const;
