import type { ServiceApi } from '@aegis/common';
import { injectedAmong, listInjections, markInjected } from '../store/ledger';
import type { RouteDeps } from './context';
import { conversationListRoute } from './conversation-list';
import { conversationParams, injection, ledgerCheck, ledgerMark, skillIdsBody } from './schemas';

/** The injection ledger (domain.md: a conversation never receives the same skill twice):
 * GET /ledger/{conversation_id}, POST …/check, POST …/mark. */
export function ledgerRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['ledger'] });

  conversationListRoute(routes, deps.store, {
    prefix: '/ledger',
    summary: 'The skills injected into a conversation',
    item: injection,
    listOptions: { sortable: ['injected_at', 'skill_id'], defaultSort: 'injected_at' },
    list: listInjections,
  });

  routes.route({
    method: 'post',
    path: '/ledger/{conversation_id}/check',
    summary: 'Which of these skills the conversation has already been given',
    roles: 'any',
    params: conversationParams,
    body: skillIdsBody,
    responses: { 200: ledgerCheck },
    handler: async (_ctx, { params, body, tenant }) => {
      const ids = [...new Set(body.skill_ids)];
      const injected = await injectedAmong(deps.store, tenant, params.conversation_id, ids);
      return {
        conversation_id: params.conversation_id,
        injected: ids.filter((id) => injected.has(id)),
        not_injected: ids.filter((id) => !injected.has(id)),
      };
    },
  });

  routes.route({
    method: 'post',
    path: '/ledger/{conversation_id}/mark',
    summary: 'Mark skills as injected (idempotent)',
    description:
      'Records each skill once per conversation. `newly_marked` are the skills this call recorded; of concurrent marks of one skill exactly one gets it there, so the caller that sees a skill in `newly_marked` is the one that injects it.',
    roles: ['operator'],
    params: conversationParams,
    body: skillIdsBody,
    responses: { 200: ledgerMark },
    handler: async (_ctx, { params, body, tenant }) => {
      const ids = [...new Set(body.skill_ids)];
      const at = new Date(deps.now()).toISOString();
      const marked = await markInjected(deps.store, tenant, params.conversation_id, ids, at);
      return {
        conversation_id: params.conversation_id,
        newly_marked: ids.filter((id) => marked.has(id)),
        already_marked: ids.filter((id) => !marked.has(id)),
      };
    },
  });
}
