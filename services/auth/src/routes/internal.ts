import { parseQuery, type Store } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { revocationFeed } from '../store/revocations';

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
 * /api/v1/auth/* as /auth/*, can never expose them. */
export function internalRoutes(router: Router, deps: InternalRouteDeps): void {
  router.get('/internal/revocations', async (ctx) => {
    ctx.state.route = 'GET /internal/revocations';
    const { since } = parseQuery(ctx, feedQuery);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await revocationFeed(
      deps.store,
      since === undefined ? undefined : Number(since),
      deps.now(),
      deps.tokenTtlSec,
    );
  });
}
