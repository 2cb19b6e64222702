import { parseBody } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { batchSchema, prepareBatch } from '../store/batch';
import { commitImport, createImport, discardImport, stageItems } from '../store/imports';
import { seedDemoData } from '../store/seed';
import { caller, nowIso, today, type RouteDeps } from './context';

const seedSchema = z
  .strictObject({
    anchor_date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date (YYYY-MM-DD)' })
      .optional(),
  })
  .optional();

/** Imports (atomic multi-request loads, used by ingestion) and POST /seed. */
export function importRoutes(router: Router, deps: RouteDeps): void {
  router.post('/imports', async (ctx) => {
    ctx.state.route = 'POST /imports';
    const { tenant } = await caller(ctx, deps, 'operator');
    const importId = await createImport(deps.store, tenant, nowIso(deps));
    ctx.status = 201;
    ctx.set('Location', `/imports/${importId}`);
    ctx.body = { import_id: importId };
  });

  router.post('/imports/:id/items', async (ctx) => {
    ctx.state.route = 'POST /imports/{id}/items';
    const { tenant } = await caller(ctx, deps, 'operator');
    const body = parseBody(ctx, batchSchema);
    const batch = await prepareBatch(deps.store, tenant, body);
    ctx.body = { staged: await stageItems(deps.store, tenant, ctx.params.id, batch, nowIso(deps)) };
  });

  router.post('/imports/:id/commit', async (ctx) => {
    ctx.state.route = 'POST /imports/{id}/commit';
    const { tenant } = await caller(ctx, deps, 'operator');
    ctx.body = await commitImport(deps.store, tenant, ctx.params.id, nowIso(deps));
  });

  router.delete('/imports/:id', async (ctx) => {
    ctx.state.route = 'DELETE /imports/{id}';
    const { tenant } = await caller(ctx, deps, 'operator');
    await discardImport(deps.store, tenant, ctx.params.id, nowIso(deps));
    ctx.status = 204;
  });

  router.post('/seed', async (ctx) => {
    ctx.state.route = 'POST /seed';
    const { tenant } = await caller(ctx, deps, 'admin');
    const body = parseBody(ctx, seedSchema);
    const anchor = body?.anchor_date ?? today(deps);
    const counts = await seedDemoData(deps.store, tenant, anchor, nowIso(deps));
    ctx.body = { tenant_id: tenant, anchor_date: anchor, ...counts };
  });
}
