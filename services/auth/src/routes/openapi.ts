import type { Router } from '@koa/router';
import { OPENAPI_ERROR_SCHEMA, OPENAPI_SECURITY_SCHEMES } from '@aegis/common';

const error = { $ref: '#/components/schemas/Error' };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: `Error ${c}`, ...json(error) }]));
const bearer = [{ bearer: [] }, { cookie: [] }];
const roles = { type: 'array', items: { type: 'string', enum: ['admin', 'operator', 'reviewer', 'viewer'] } };

/** A hand-written OpenAPI 3.1 description of the auth endpoints (service paths; clients prefix /api/v1). */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'AEGIS auth service', version: '1.0.0' },
  servers: [{ url: 'http://localhost:8000/api/v1', description: 'through the gateway' }],
  components: {
    securitySchemes: OPENAPI_SECURITY_SCHEMES,
    schemas: {
      Error: OPENAPI_ERROR_SCHEMA,
      Token: {
        type: 'object',
        required: [
          'access_token',
          'token_type',
          'expires_in',
          'user_id',
          'roles',
          'email',
          'display_name',
          'tenant_id',
        ],
        properties: {
          access_token: { type: 'string' },
          token_type: { const: 'bearer' },
          expires_in: { type: 'integer' },
          user_id: { type: 'string' },
          roles,
          email: { type: 'string' },
          display_name: { type: ['string', 'null'] },
          tenant_id: { type: 'string' },
        },
      },
      User: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          email: { type: 'string' },
          display_name: { type: ['string', 'null'] },
          roles,
          tenant_id: { type: 'string' },
          active: { type: 'boolean' },
          locked: { type: 'boolean' },
          created_at: { type: 'string', format: 'date-time' },
          updated_at: { type: 'string', format: 'date-time' },
          last_login_at: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Validation: {
        type: 'object',
        properties: {
          valid: { const: true },
          user_id: { type: 'string' },
          roles,
          tenant_id: { type: 'string' },
        },
      },
    },
  },
  paths: {
    '/auth/token': {
      post: {
        summary: 'Log in with email and password; sets the aegis_token cookie',
        requestBody: json({
          type: 'object',
          required: ['email', 'password'],
          properties: { email: { type: 'string' }, password: { type: 'string' } },
        }),
        responses: {
          '200': { description: 'Token', ...json({ $ref: '#/components/schemas/Token' }) },
          ...errors(401, 422),
        },
      },
    },
    '/auth/logout': {
      post: {
        summary: 'Revoke the token (until its expiry) and clear the cookie',
        security: bearer,
        responses: { '200': { description: 'Logged out' }, ...errors(401) },
      },
    },
    '/auth/me': {
      get: {
        summary: 'The caller',
        security: bearer,
        responses: {
          '200': { description: 'User', ...json({ $ref: '#/components/schemas/User' }) },
          ...errors(401),
        },
      },
    },
    '/auth/validate': {
      post: {
        summary: 'Validate a token (body `token`, else the request token); invalid tokens answer 401',
        requestBody: {
          required: false,
          ...json({ type: 'object', properties: { token: { type: 'string' } } }),
        },
        responses: {
          '200': { description: 'Valid', ...json({ $ref: '#/components/schemas/Validation' }) },
          ...errors(401),
        },
      },
    },
    '/auth/forward-auth': {
      get: {
        summary:
          'Forward-auth for proxies (any method): 200 with X-Aegis-User-Id, X-Aegis-Tenant-Id, X-Aegis-Roles, or 401',
        security: bearer,
        responses: { '200': { description: 'Authenticated' }, ...errors(401) },
      },
    },
    '/auth/.well-known/jwks.json': {
      get: { summary: 'Public signing keys (JWKS)', responses: { '200': { description: 'JWKS' } } },
    },
    '/auth/users': {
      get: {
        summary:
          'List users of a tenant (admin); §6 pagination, sort_by created_at|email|display_name|last_login_at, filters active, role, email, tenant_id (platform admin)',
        security: bearer,
        responses: {
          '200': { description: 'Envelope {data,total,page,page_size}' },
          ...errors(401, 403, 422),
        },
      },
      post: {
        summary: 'Create a user (admin)',
        security: bearer,
        requestBody: json({
          type: 'object',
          required: ['email', 'password'],
          properties: {
            email: { type: 'string' },
            password: { type: 'string', minLength: 8 },
            display_name: { type: ['string', 'null'] },
            roles,
            tenant_id: { type: 'string' },
            active: { type: 'boolean' },
          },
        }),
        responses: {
          '201': { description: 'Created', ...json({ $ref: '#/components/schemas/User' }) },
          ...errors(401, 403, 409, 422),
        },
      },
    },
    '/auth/users/{id}': {
      patch: {
        summary:
          'Change roles, active flag, display name or password (admin); refuses the user’s older tokens on deactivation, role change and password reset',
        security: bearer,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: json({
          type: 'object',
          properties: {
            display_name: { type: ['string', 'null'] },
            roles,
            active: { type: 'boolean' },
            password: { type: 'string' },
          },
        }),
        responses: {
          '200': { description: 'Updated', ...json({ $ref: '#/components/schemas/User' }) },
          ...errors(401, 403, 404, 409, 422),
        },
      },
    },
    '/auth/keys/rotate': {
      post: {
        summary: 'Rotate the signing key (platform admin)',
        security: bearer,
        responses: { '200': { description: 'New kid' }, ...errors(401, 403) },
      },
    },
  },
} as const;

export function openApiRoutes(router: Router): void {
  router.get('/openapi.json', (ctx) => {
    ctx.state.route = 'GET /openapi.json';
    ctx.body = OPENAPI_DOCUMENT;
  });
}
