import { isoDateTime, revocationFeedSchema, roleSchema, type OpenApiInfo } from '@aegis/common';
import { z } from 'zod';

/** The head of the document generated from the routes (served at /openapi.json). */
export const OPENAPI_INFO: OpenApiInfo = {
  title: 'AEGIS auth service',
  version: '1.0.0',
  description:
    'Service paths; through the gateway they are under /api/v1 (the gateway never routes /internal).',
};

const roles = z.array(roleSchema);
const instant = isoDateTime();

/** The public representation of a user (`userView`). */
export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    display_name: z.string().nullable(),
    roles,
    tenant_id: z.string(),
    active: z.boolean(),
    locked: z.boolean().describe('Locked out after repeated failed logins'),
    created_at: instant,
    updated_at: instant,
    last_login_at: instant.nullable(),
  })
  .meta({ id: 'User' });

/** `GET /auth/me`: the caller, with `user_id` beside `id`. */
export const meSchema = userSchema.extend({ user_id: z.string() }).meta({ id: 'Me' });

export const tokenSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds'),
    user_id: z.string(),
    roles,
    email: z.string(),
    display_name: z.string().nullable(),
    tenant_id: z.string(),
  })
  .meta({ id: 'Token' });

export const validationSchema = z
  .object({ valid: z.literal(true), user_id: z.string(), roles, tenant_id: z.string() })
  .meta({ id: 'Validation' });

export const jwksSchema = z
  .object({
    keys: z.array(
      z.looseObject({
        kty: z.string(),
        kid: z.string(),
        alg: z.string().optional(),
        use: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Jwks' });

export const rotationSchema = z
  .object({
    kid: z.string(),
    activates_at: instant,
    retired: z.array(z.object({ kid: z.string(), retires_at: instant })),
  })
  .meta({ id: 'KeyRotation' });

export const loggedOutSchema = z.object({ detail: z.string() });

export { revocationFeedSchema };
