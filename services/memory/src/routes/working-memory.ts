import { NotFoundError, PayloadTooLargeError, type ServiceApi } from '@aegis/common';
import { WORKING_MEMORY_MAX_BYTES, type FieldPatch } from '../domain/working-memory';
import type { RouteDeps } from './context';
import { conversationParams, workingMemory, workingMemoryPut } from './schemas';

const notFound = (id: string) =>
  new NotFoundError(`No working memory for conversation ${JSON.stringify(id)} (none stored, or it expired)`);

/** GET/PUT/DELETE /working-memory/{conversation_id} (spec §8 memory). With Redis, Redis failing is a
 * 503 `working_memory_unavailable`. */
export function workingMemoryRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['working-memory'] });
  const wm = deps.workingMemory;

  routes.route({
    method: 'get',
    path: '/working-memory/{conversation_id}',
    summary: "Read a conversation's working memory (and push its expiry one TTL on, 24 h by default)",
    roles: 'any',
    params: conversationParams,
    responses: { 200: workingMemory },
    errors: [404, 503],
    handler: async (_ctx, { params, tenant }) => {
      const memory = await wm.get(tenant, params.conversation_id);
      if (!memory) throw notFound(params.conversation_id);
      return memory;
    },
  });

  routes.route({
    method: 'put',
    path: '/working-memory/{conversation_id}',
    summary: "Merge fields into a conversation's working memory",
    description: `Each field of \`fields\` replaces the stored one whole; \`null\` deletes the field; fields not named are kept. The stored map may not exceed ${WORKING_MEMORY_MAX_BYTES} bytes, measured as the UTF-8 bytes of its compact JSON serialisation (\`JSON.stringify\`): a merge over that answers 413 \`working_memory_too_large\` and changes nothing. Every write pushes the expiry one TTL on (\`WORKING_MEMORY_TTL_SECONDS\`, 24 h by default). A merge that leaves no field deletes the map (\`expires_at\` null).`,
    roles: ['operator'],
    params: conversationParams,
    body: workingMemoryPut,
    responses: { 200: workingMemory },
    errors: [503],
    handler: async (_ctx, { params, body, tenant }) => {
      const outcome = await wm.put(tenant, params.conversation_id, body.fields as FieldPatch);
      if (!outcome.ok)
        throw new PayloadTooLargeError(
          `The working memory would be ${outcome.sizeBytes} bytes; at most ${WORKING_MEMORY_MAX_BYTES} (UTF-8 bytes of its JSON) are kept`,
          'working_memory_too_large',
        );
      return (
        outcome.memory ?? {
          conversation_id: params.conversation_id,
          fields: {},
          size_bytes: 2,
          expires_at: null,
        }
      );
    },
  });

  routes.route({
    method: 'delete',
    path: '/working-memory/{conversation_id}',
    summary: "Delete a conversation's working memory",
    roles: ['operator'],
    params: conversationParams,
    responses: { 204: null },
    errors: [404, 503],
    handler: async (_ctx, { params, tenant }) => {
      if (!(await wm.delete(tenant, params.conversation_id))) throw notFound(params.conversation_id);
      return undefined;
    },
  });
}
