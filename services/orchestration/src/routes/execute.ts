import type { ServiceApi } from '@aegis/common';
import type { RouteDeps } from './deps';
import { executeBody, executeResult } from './schemas';

export function executeRoutes(api: ServiceApi, deps: Pick<RouteDeps, 'engine'>): void {
  api.group({ tags: ['agents'] }).route({
    method: 'post',
    path: '/execute',
    summary: 'Run an agent to completion',
    description:
      'Creates the conversation when none is given. A run that reaches a mutating tool stops at an approval checkpoint (`approval_required`, `approval_id`) and resumes when the approval is decided. 429 `budget_exceeded` when the per-run or per-day budget of the agent is spent (the run stops before doing what the last model turn asked). 409 `run_in_progress` while another run holds the conversation.',
    roles: ['viewer'],
    body: executeBody,
    responses: { 200: executeResult },
    errors: [404, 409, 429, 502],
    handler: async (_ctx, { body, identity, tenant }) =>
      deps.engine.run({
        tenantId: tenant,
        userId: identity.userId,
        agentType: body.agent_type,
        userMessage: body.user_message,
        conversationId: body.conversation_id,
        context: body.context,
      }),
  });
}
