import {
  enumFilter,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  NotFoundError,
  toListParams,
  type ServiceApi,
} from '@aegis/common';
import {
  listRuns,
  parseJsonColumn,
  findRunRow,
  RUN_STATUSES,
  stepsOf,
  toolCallsOf,
  toRunRecord,
} from '../store/runs';
import { conversationOrThrow } from './conversations';
import { requireOwnerOrOperator, type RouteDeps } from './deps';
import { conversationIdParams, runParams, runSchema, traceSchema } from './schemas';

const listOptions = { sortable: ['created_at'], defaultSort: 'created_at', defaultDir: 'desc' } as const;

export function runRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['conversations'] });

  routes.route({
    method: 'post',
    path: '/conversations/{conversation_id}/cancel',
    summary: 'Cancel the run in progress',
    description:
      'Stops the running or paused run of the conversation (its creator or an operator): a paused run’s waiting action is never performed. 409 `no_active_run` when none is in progress.',
    roles: ['viewer'],
    params: conversationIdParams,
    responses: { 200: runSchema },
    errors: [404, 409],
    handler: async (_ctx, { params, identity, tenant }) => {
      const c = await conversationOrThrow(deps, tenant, params.conversation_id);
      requireOwnerOrOperator(identity, c);
      return deps.engine.cancel(tenant, c.conversation_id, identity.userId);
    },
  });

  routes.route({
    method: 'get',
    path: '/conversations/{conversation_id}/runs',
    summary: 'List the runs of a conversation',
    roles: ['viewer'],
    params: conversationIdParams,
    query: listQuerySchema(listOptions).extend({ status: enumFilter(RUN_STATUSES).optional() }),
    responses: { 200: listEnvelopeSchema(runSchema) },
    errors: [404],
    handler: async (_ctx, { params, query, tenant }) => {
      const c = await conversationOrThrow(deps, tenant, params.conversation_id);
      const list = toListParams(query, listOptions);
      const { rows, total } = await listRuns(deps.store, tenant, c.conversation_id, query, list);
      return listEnvelope(rows, total, list);
    },
  });

  routes.route({
    method: 'get',
    path: '/conversations/{conversation_id}/runs/{run_id}',
    summary: 'The trace of a run',
    description:
      'Every step with its input, output, model, tokens and cost; every tool call with its arguments, result or error and approval; the skills injected.',
    roles: ['viewer'],
    params: runParams,
    responses: { 200: traceSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      const c = await conversationOrThrow(deps, tenant, params.conversation_id);
      const row = await findRunRow(deps.store, tenant, params.run_id);
      if (!row || row.conversation_id !== c.conversation_id) throw new NotFoundError('Run not found');
      const [steps, calls] = await Promise.all([
        stepsOf(deps.store, tenant, row.run_id),
        toolCallsOf(deps.store, tenant, row.run_id),
      ]);
      return {
        ...toRunRecord(row),
        steps: steps.map((s) => ({
          seq: Number(s.seq),
          node: s.node,
          status: s.status,
          input: parseJsonColumn(s.input),
          output: parseJsonColumn(s.output),
          model: s.model,
          token_usage: {
            prompt_tokens: Number(s.prompt_tokens),
            completion_tokens: Number(s.completion_tokens),
            total_tokens: Number(s.prompt_tokens) + Number(s.completion_tokens),
          },
          cost_usd: Number(s.cost_usd),
          started_at: s.started_at,
          ended_at: s.ended_at,
        })),
        tool_calls: calls.map((t) => ({
          seq: Number(t.seq),
          call_id: t.call_id,
          tool_name: t.tool_name,
          arguments: parseJsonColumn(t.arguments),
          status: t.status,
          result: parseJsonColumn(t.result),
          error: parseJsonColumn(t.error),
          approval_id: t.approval_id,
          started_at: t.started_at,
          ended_at: t.ended_at,
        })),
      };
    },
  });
}
