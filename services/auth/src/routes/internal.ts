import type { ServiceApi, Store } from '@aegis/common';
import { z } from 'zod';
import { revocationFeed } from '../store/revocations';
import { revocationFeedSchema } from './schemas';

export interface InternalRouteDeps {
  store: Store;
  tokenTtlSec: number;
  now: () => number;
}

const feedQuery = z.object({
  since: z
    .string()
    .regex(/^\d{1,15}$/, { message: 'must be a cursor from a previous answer' })
    .optional(),
});

/** Service-to-service endpoints. They live outside /auth so the gateway, which forwards only
 * /api/v1/auth/* as /auth/*, can never expose them; they take no token (the verifiers of every
 * service poll the feed). */
export function internalRoutes(api: ServiceApi, deps: InternalRouteDeps): void {
  api.route({
    method: 'get',
    path: '/internal/revocations',
    summary:
      'Revoked tokens and cut-off users since a cursor (service to service; not routed by the gateway)',
    tags: ['internal'],
    roles: 'public',
    query: feedQuery,
    responses: { 200: revocationFeedSchema.meta({ id: 'RevocationFeed' }) },
    handler: async (ctx, { query: { since } }) => {
      ctx.set('Cache-Control', 'no-store');
      return revocationFeed(
        deps.store,
        since === undefined ? undefined : Number(since),
        deps.now(),
        deps.tokenTtlSec,
      );
    },
  });
}
