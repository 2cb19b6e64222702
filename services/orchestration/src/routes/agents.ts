import {
  listEnvelopeSchema,
  listInMemory,
  listQuerySchema,
  NotFoundError,
  toListParams,
  type ServiceApi,
} from '@aegis/common';
import { z } from 'zod';
import type { AgentDefinition } from '../agents/types';
import type { RouteDeps } from './deps';
import { agentSchema, agentTypeSchema } from './schemas';

const listOptions = { sortable: ['agent_id', 'agent_type', 'name'], defaultSort: 'agent_id' } as const;

/** The public view of a definition (the system prompt stays inside). */
export function agentView(a: AgentDefinition): z.output<typeof agentSchema> {
  return {
    agent_id: a.agent_id,
    agent_type: a.agent_type,
    version: a.version,
    name: a.name,
    description: a.description,
    model: { ...a.model },
    tools: [...a.tools],
    skills: [...a.skills],
    approval_checkpoints: [...a.approval_checkpoints],
    budgets: { per_run: { ...a.budgets.per_run }, per_day: { ...a.budgets.per_day } },
    ...(a.schedule ? { schedule: { ...a.schedule } } : {}),
  };
}

export function agentRoutes(api: ServiceApi, deps: Pick<RouteDeps, 'catalog'>): void {
  const routes = api.group({ tags: ['agents'] });
  routes.route({
    method: 'get',
    path: '/agents',
    summary: 'List the agents',
    roles: ['viewer'],
    query: listQuerySchema(listOptions).extend({ agent_type: agentTypeSchema.optional() }),
    responses: { 200: listEnvelopeSchema(agentSchema) },
    handler: (_ctx, { query }) => {
      const all = deps.catalog.list().filter((a) => !query.agent_type || a.agent_type === query.agent_type);
      return listInMemory(all.map(agentView), toListParams(query, listOptions));
    },
  });
  routes.route({
    method: 'get',
    path: '/agents/{agent_id}',
    summary: 'Read an agent',
    roles: ['viewer'],
    params: z.object({ agent_id: z.string().min(1).max(200) }),
    responses: { 200: agentSchema },
    errors: [404],
    handler: (_ctx, { params }) => {
      const agent = deps.catalog.byId(params.agent_id);
      if (!agent) throw new NotFoundError('Agent not found');
      return agentView(agent);
    },
  });
}
