import { NotFoundError, parseQuery } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { normaliseEntityId } from '../domain/items';
import { ENTITY_ID_PATTERN, MAX_DEPTH } from '../domain/labels';
import { buildImpactTrees, type Direction } from '../domain/traversal';
import { requireEntity } from '../store/entities';
import { edgesAmong, reach, treeWalk } from '../store/traverse';
import { caller, pathLabel, type RouteDeps } from './context';

const depth = (fallback: number) =>
  z.coerce
    .number({ message: 'must be an integer' })
    .int({ message: 'must be an integer' })
    .min(0)
    .max(MAX_DEPTH, { message: `must be at most ${MAX_DEPTH}` })
    .default(fallback);
const walkQuery = (fallback: number) =>
  z.object({ depth: depth(fallback), limit: z.coerce.number().int().min(1).max(5000).default(500) });
const treeQuery = z.object({
  depth: depth(MAX_DEPTH),
  project_id: z.string().regex(ENTITY_ID_PATTERN).optional(),
});

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Sub-graphs, impact (inward, outward, both) and the infrastructure impact tree. */
export function graphRoutes(router: Router, deps: RouteDeps): void {
  const walk = async (
    ctx: Parameters<Parameters<Router['get']>[1]>[0],
    direction: Direction,
    fallbackDepth: number,
  ) => {
    const { tenant } = await caller(ctx, deps, 'viewer');
    const label = pathLabel(ctx.params.label);
    const id = normaliseEntityId(label, ctx.params.id);
    const q = parseQuery(ctx, walkQuery(fallbackDepth));
    const root = await requireEntity(deps.store, tenant, label, id);
    const { nodes, more } = await reach(deps.store, tenant, { label, id }, q.depth, direction, q.limit);
    const edges = await edgesAmong(
      deps.store,
      tenant,
      nodes.map((n) => ({ label: n.label, id: n.entity_id })),
    );
    return {
      root: { label: root.label, entity_id: root.entity_id },
      direction,
      depth: q.depth,
      nodes,
      edges,
      truncated: more,
    };
  };

  router.get('/graph/:label/:id', async (ctx) => {
    ctx.state.route = 'GET /graph/{label}/{entity_id}';
    ctx.body = await walk(ctx, 'both', 2);
  });

  router.get('/impact/tree', async (ctx) => {
    ctx.state.route = 'GET /impact/tree';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const q = parseQuery(ctx, treeQuery);
    const { roots, rows, info } = await treeWalk(deps.store, tenant, q.depth, q.project_id);
    if (q.project_id !== undefined && roots.length === 0)
      throw new NotFoundError(`InfrastructureProject ${q.project_id} not found`, 'entity_not_found');
    const trees = buildImpactTrees(roots, rows, (n) => {
      const p = info.get(`${n.label}\u0000${n.id}`) ?? {};
      return { name: str(p.name), status: str(p.status) };
    });
    ctx.body = { depth: q.depth, projects: trees };
  });

  router.get('/impact/outward/:label/:id', async (ctx) => {
    ctx.state.route = 'GET /impact/outward/{label}/{entity_id}';
    ctx.body = await walk(ctx, 'out', 3);
  });

  router.get('/impact/inward/:label/:id', async (ctx) => {
    ctx.state.route = 'GET /impact/inward/{label}/{entity_id}';
    ctx.body = await walk(ctx, 'in', 3);
  });

  router.get('/impact/:label/:id', async (ctx) => {
    ctx.state.route = 'GET /impact/{label}/{entity_id}';
    const outward = await walk(ctx, 'out', 3);
    const { tenant } = ctx.state as { tenant: string };
    const label = pathLabel(ctx.params.label);
    const q = parseQuery(ctx, walkQuery(3));
    const inward = await reach(
      deps.store,
      tenant,
      { label, id: outward.root.entity_id },
      q.depth,
      'in',
      q.limit,
    );
    const inEdges = await edgesAmong(
      deps.store,
      tenant,
      inward.nodes.map((n) => ({ label: n.label, id: n.entity_id })),
    );
    ctx.body = {
      root: outward.root,
      depth: outward.depth,
      outward: {
        nodes: outward.nodes.filter((n) => n.depth > 0),
        edges: outward.edges,
        truncated: outward.truncated,
      },
      inward: { nodes: inward.nodes.filter((n) => n.depth > 0), edges: inEdges, truncated: inward.more },
    };
  });
}
