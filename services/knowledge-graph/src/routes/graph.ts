import { NotFoundError, resourceId, type ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { normaliseEntityId } from '../domain/items';
import { MAX_DEPTH, type Label } from '../domain/labels';
import { buildImpactTrees, type Direction } from '../domain/traversal';
import { requireEntity } from '../store/entities';
import { edgesAmong, reach, treeWalk } from '../store/traverse';
import type { RouteDeps } from './context';
import { entityPath, impactSchema, subGraphSchema, treeNodeSchema } from './schemas';

const depth = (fallback: number) =>
  z.coerce
    .number({ message: 'must be an integer' })
    .int({ message: 'must be an integer' })
    .min(0)
    .max(MAX_DEPTH, { message: `must be at most ${MAX_DEPTH}` })
    .default(fallback);
const walkQuery = (fallback: number) =>
  z.object({ depth: depth(fallback), limit: z.coerce.number().int().min(1).max(5000).default(500) });
type WalkQuery = z.output<ReturnType<typeof walkQuery>>;
const treeQuery = z.object({
  depth: depth(MAX_DEPTH),
  project_id: resourceId().optional(),
});

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Sub-graphs, impact (inward, outward, both) and the infrastructure impact tree. */
export function graphRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['graph'] });
  const walk = async (
    tenant: string,
    at: { label: Label; entity_id: string },
    q: WalkQuery,
    direction: Direction,
  ) => {
    const id = normaliseEntityId(at.label, at.entity_id);
    const root = await requireEntity(deps.store, tenant, at.label, id);
    const { nodes, more } = await reach(
      deps.store,
      tenant,
      { label: at.label, id },
      q.depth,
      direction,
      q.limit,
    );
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

  const walkRoute = (path: string, summary: string, direction: Direction, fallbackDepth: number) =>
    routes.route({
      method: 'get',
      path,
      summary,
      roles: ['viewer'],
      params: entityPath,
      query: walkQuery(fallbackDepth),
      responses: { 200: subGraphSchema },
      errors: [404],
      handler: (_ctx, { params, query, tenant }) => walk(tenant, params, query, direction),
    });

  walkRoute(
    '/graph/{label}/{entity_id}',
    `Sub-graph around an entity, both directions, depth ≤ ${MAX_DEPTH} (default 2)`,
    'both',
    2,
  );

  routes.route({
    method: 'get',
    path: '/impact/tree',
    summary: 'Infrastructure projects → pipelines/facilities/pads → wells, with well status roll-up',
    roles: ['viewer'],
    query: treeQuery,
    responses: { 200: z.object({ depth: z.number().int(), projects: z.array(treeNodeSchema) }) },
    errors: [404],
    handler: async (_ctx, { query: q, tenant }) => {
      const { roots, rows, info } = await treeWalk(deps.store, tenant, q.depth, q.project_id);
      if (q.project_id !== undefined && roots.length === 0)
        throw new NotFoundError(`InfrastructureProject ${q.project_id} not found`, 'entity_not_found');
      const trees = buildImpactTrees(roots, rows, (n) => {
        const p = info.get(`${n.label}\u0000${n.id}`) ?? {};
        return { name: str(p.name), status: str(p.status) };
      });
      return { depth: q.depth, projects: trees };
    },
  });

  walkRoute('/impact/outward/{label}/{entity_id}', 'Entities reached following edges forward', 'out', 3);
  walkRoute(
    '/impact/inward/{label}/{entity_id}',
    'Entities that reach this one (edges followed backward)',
    'in',
    3,
  );

  routes.route({
    method: 'get',
    path: '/impact/{label}/{entity_id}',
    summary: 'Impact both ways: {outward, inward} (default depth 3)',
    roles: ['viewer'],
    params: entityPath,
    query: walkQuery(3),
    responses: { 200: impactSchema },
    errors: [404],
    handler: async (_ctx, { params, query, tenant }) => {
      const outward = await walk(tenant, params, query, 'out');
      const inward = await reach(
        deps.store,
        tenant,
        { label: params.label, id: outward.root.entity_id },
        query.depth,
        'in',
        query.limit,
      );
      const inEdges = await edgesAmong(
        deps.store,
        tenant,
        inward.nodes.map((n) => ({ label: n.label, id: n.entity_id })),
      );
      return {
        root: outward.root,
        depth: outward.depth,
        outward: {
          nodes: outward.nodes.filter((n) => n.depth > 0),
          edges: outward.edges,
          truncated: outward.truncated,
        },
        inward: { nodes: inward.nodes.filter((n) => n.depth > 0), edges: inEdges, truncated: inward.more },
      };
    },
  });
}
