import type { ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { prepareBatch } from '../store/batch';
import { commitImport, createImport, discardImport, stageItems } from '../store/imports';
import { seedDemoData } from '../store/seed';
import { nowIso, today, type RouteDeps } from './context';
import { batchInput, calendarDate, countsSchema } from './schemas';

const seedSchema = z
  .strictObject({
    anchor_date: calendarDate.optional(),
  })
  .optional();
const importPath = z.object({ id: z.string().min(1).max(200) });

/** Imports (atomic multi-request loads, used by ingestion) and POST /seed. */
export function importRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['imports'] });
  routes.route({
    method: 'post',
    path: '/imports',
    summary: 'Open an atomic import (operator; service-to-service, not routed by the gateway)',
    roles: ['operator'],
    responses: { 201: z.object({ import_id: z.string() }) },
    handler: async (ctx, { tenant }) => {
      const importId = await deps.store.transaction((tx) => createImport(tx, tenant, nowIso(deps)));
      ctx.set('Location', `/imports/${importId}`);
      return { import_id: importId };
    },
  });

  routes.route({
    method: 'post',
    path: '/imports/{id}/items',
    summary: 'Validate and stage a batch (≤ 5000 items)',
    description:
      'Nothing of an import is visible before its commit. On a SQLite file the batch is written at once, inside the ' +
      'import’s own transaction, and the graph’s other writes wait until the import commits, is discarded or receives ' +
      'nothing for IMPORT_IDLE_MS (then it is rolled back and later calls answer 409 `import_closed`).',
    roles: ['operator'],
    params: importPath,
    body: batchInput,
    responses: { 200: z.object({ staged: z.number().int() }) },
    errors: [404, 409],
    handler: async (_ctx, { params, body, tenant }) => {
      const batch = await prepareBatch(deps.store, tenant, body);
      if (deps.imports && (await deps.imports.takes(tenant, params.id)))
        return { staged: await deps.imports.stage(tenant, params.id, batch, nowIso(deps)) };
      return { staged: await stageItems(deps.store, tenant, params.id, batch, nowIso(deps)) };
    },
  });

  routes.route({
    method: 'post',
    path: '/imports/{id}/commit',
    summary: 'Apply every staged item in one transaction',
    description:
      'All or nothing: new items are inserted, items that exist get their properties merged (given keys replace stored ones). ' +
      'On PostgreSQL, a commit that meets another request writing the same entities or edges at the same moment answers ' +
      '409 `import_conflict` and applies nothing; the import stays staged and can be committed again.',
    roles: ['operator'],
    params: importPath,
    responses: { 200: countsSchema },
    errors: [404, 409],
    handler: (_ctx, { params, tenant }) =>
      deps.imports?.holds(params.id)
        ? deps.imports.commit(tenant, params.id, nowIso(deps))
        : commitImport(deps.store, tenant, params.id, nowIso(deps)),
  });

  routes.route({
    method: 'delete',
    path: '/imports/{id}',
    summary: 'Discard an import',
    roles: ['operator'],
    params: importPath,
    responses: { 204: null },
    errors: [404, 409],
    handler: async (_ctx, { params, tenant }) => {
      if (deps.imports?.holds(params.id)) await deps.imports.discard(tenant, params.id, nowIso(deps));
      else await discardImport(deps.store, tenant, params.id, nowIso(deps));
    },
  });

  routes.route({
    method: 'post',
    path: '/seed',
    summary:
      'Load the deterministic demo data set into the caller’s tenant (admin); dates relative to anchor_date (default today)',
    tags: ['seed'],
    roles: ['admin'],
    body: seedSchema,
    responses: {
      200: countsSchema.extend({ tenant_id: z.string(), anchor_date: z.string() }),
    },
    handler: async (_ctx, { body, tenant }) => {
      const anchor = body?.anchor_date ?? today(deps);
      const counts = await seedDemoData(deps.store, tenant, anchor, nowIso(deps));
      return { tenant_id: tenant, anchor_date: anchor, ...counts };
    },
  });
}
