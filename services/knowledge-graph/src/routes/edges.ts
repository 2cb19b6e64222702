import { listEnvelope, parseBody, parseListParams, parseQuery } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { edgeItemSchema, normaliseEntityId, prepareEdge } from '../domain/items';
import { REL_TYPE_PATTERN } from '../domain/labels';
import { deleteEdge, EDGE_SORTABLE, insertEdge, listEdgesOf } from '../store/edges';
import { requireEntity } from '../store/entities';
import { caller, nowIso, pathLabel, type RouteDeps } from './context';

const filterSchema = z.object({
  direction: z.enum(['out', 'in', 'both']).default('both'),
  rel_type: z.string().regex(REL_TYPE_PATTERN, { message: 'must be UPPER_SNAKE_CASE' }).optional(),
});

export function edgeRoutes(router: Router, deps: RouteDeps): void {
  router.post('/edges', async (ctx) => {
    ctx.state.route = 'POST /edges';
    const { tenant } = await caller(ctx, deps, 'operator');
    const edge = prepareEdge(parseBody(ctx, edgeItemSchema));
    const created = await deps.store.transaction((tx) => insertEdge(tx, tenant, edge, nowIso(deps)));
    ctx.status = 201;
    ctx.body = created;
  });

  router.get('/edges/:label/:id', async (ctx) => {
    ctx.state.route = 'GET /edges/{label}/{entity_id}';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const label = pathLabel(ctx.params.label);
    const id = normaliseEntityId(label, ctx.params.id);
    const params = parseListParams(ctx.query, { sortable: EDGE_SORTABLE, defaultSort: 'created_at' });
    const filter = parseQuery(ctx, filterSchema);
    await requireEntity(deps.store, tenant, label, id);
    const { rows, total } = await listEdgesOf(
      deps.store,
      tenant,
      label,
      id,
      { direction: filter.direction, relType: filter.rel_type },
      params,
    );
    ctx.body = listEnvelope(rows, total, params);
  });

  router.delete('/edges/:edgeId', async (ctx) => {
    ctx.state.route = 'DELETE /edges/{edge_id}';
    const { tenant } = await caller(ctx, deps, 'operator');
    await deleteEdge(deps.store, tenant, ctx.params.edgeId);
    ctx.status = 204;
  });
}
