import {
  ConflictError,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  NotFoundError,
  toListParams,
  ValidationError,
  type ServiceApi,
} from '@aegis/common';
import { newId } from '../run/recorder';
import {
  findConversation,
  insertConversation,
  listConversations,
  listMessages,
  recentMessages,
  softDeleteConversation,
  updateConversation,
  type Conversation,
} from '../store/conversations';
import { activeRunRow } from '../store/runs';
import { requireOwnerOrOperator, type RouteDeps } from './deps';
import {
  agentTypeSchema,
  conversationIdParams,
  conversationSchema,
  conversationStatusSchema,
  conversationWithMessages,
  createConversationBody,
  messageSchema,
  patchConversationBody,
  putConversationBody,
} from './schemas';

const listOptions = {
  sortable: ['created_at', 'updated_at', 'title'],
  defaultSort: 'created_at',
  defaultDir: 'desc',
} as const;
const messageOptions = { sortable: ['seq', 'created_at'], defaultSort: 'seq', maxPageSize: 200 } as const;
const SHOWN_MESSAGES = 200;

export async function conversationOrThrow(
  deps: Pick<RouteDeps, 'store'>,
  tenant: string,
  id: string,
): Promise<Conversation> {
  const c = await findConversation(deps.store, tenant, id);
  if (!c) throw new NotFoundError('Conversation not found');
  return c;
}

export function conversationRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['conversations'] });
  const at = () => new Date(deps.now()).toISOString();

  routes.route({
    method: 'get',
    path: '/conversations',
    summary: 'List conversations',
    roles: ['viewer'],
    query: listQuerySchema(listOptions).extend({
      agent_type: agentTypeSchema.optional(),
      status: conversationStatusSchema.optional(),
    }),
    responses: { 200: listEnvelopeSchema(conversationSchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, listOptions);
      const { rows, total } = await listConversations(deps.store, tenant, query, params);
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'post',
    path: '/conversations',
    summary: 'Start a conversation with an agent',
    roles: ['viewer'],
    body: createConversationBody,
    responses: { 201: conversationSchema },
    handler: async (_ctx, { body, identity, tenant }) => {
      const agent = deps.catalog.byType(body.agent_type);
      if (!agent) throw ValidationError.single(['body', 'agent_type'], 'has no agent defined');
      const now = at();
      const c: Conversation = {
        conversation_id: newId('conv'),
        agent_type: agent.agent_type,
        agent_id: agent.agent_id,
        title: body.title ?? `Conversation with ${agent.name}`,
        status: 'active',
        created_by: identity.userId,
        created_at: now,
        updated_at: now,
      };
      await insertConversation(deps.store, tenant, c);
      return c;
    },
  });

  routes.route({
    method: 'get',
    path: '/conversations/{conversation_id}',
    summary: 'Read a conversation with its messages',
    roles: ['viewer'],
    params: conversationIdParams,
    responses: { 200: conversationWithMessages },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      const c = await conversationOrThrow(deps, tenant, params.conversation_id);
      return { ...c, messages: await recentMessages(deps.store, tenant, c.conversation_id, SHOWN_MESSAGES) };
    },
  });

  routes.route({
    method: 'get',
    path: '/conversations/{conversation_id}/messages',
    summary: 'List the messages of a conversation',
    roles: ['viewer'],
    params: conversationIdParams,
    query: listQuerySchema(messageOptions),
    responses: { 200: listEnvelopeSchema(messageSchema) },
    errors: [404],
    handler: async (_ctx, { params, query, tenant }) => {
      const c = await conversationOrThrow(deps, tenant, params.conversation_id);
      const list = toListParams(query, messageOptions);
      const { rows, total } = await listMessages(deps.store, tenant, c.conversation_id, list);
      return listEnvelope(rows, total, list);
    },
  });

  const change = (method: 'patch' | 'put') =>
    routes.route({
      method,
      path: '/conversations/{conversation_id}',
      summary: method === 'patch' ? 'Change title and/or status' : 'Replace title and status',
      description: 'Its creator or an operator.',
      roles: ['viewer'],
      params: conversationIdParams,
      body: method === 'patch' ? patchConversationBody : putConversationBody,
      responses: { 200: conversationSchema },
      errors: [404],
      handler: async (_ctx, { params, body, identity, tenant }) => {
        const c = await conversationOrThrow(deps, tenant, params.conversation_id);
        requireOwnerOrOperator(identity, c);
        if (!(await updateConversation(deps.store, tenant, c.conversation_id, body, at())))
          throw new NotFoundError('Conversation not found');
        return conversationOrThrow(deps, tenant, c.conversation_id);
      },
    });
  change('patch');
  change('put');

  routes.route({
    method: 'delete',
    path: '/conversations/{conversation_id}',
    summary: 'Delete a conversation (soft delete)',
    description:
      'Its creator or an operator. The conversation disappears from every read; its runs stay in the store for the audit trail. 409 while a run is in progress (cancel it first).',
    roles: ['viewer'],
    params: conversationIdParams,
    responses: { 204: null },
    errors: [404, 409],
    handler: async (_ctx, { params, identity, tenant }) => {
      const c = await conversationOrThrow(deps, tenant, params.conversation_id);
      requireOwnerOrOperator(identity, c);
      if (await activeRunRow(deps.store, tenant, c.conversation_id))
        throw new ConflictError(
          'A run of this conversation is in progress; cancel it first',
          'run_in_progress',
        );
      if (!(await softDeleteConversation(deps.store, tenant, c.conversation_id, at())))
        throw new NotFoundError('Conversation not found');
      return null;
    },
  });
}
