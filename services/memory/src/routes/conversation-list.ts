import {
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  toListParams,
  type ListOptions,
  type PageParams,
  type RouteGroup,
} from '@aegis/common';
import type { z } from 'zod';
import type { MemoryStore } from '../store/schema';
import { conversationParams } from './schemas';

/** `GET <prefix>/{conversation_id}`: one page (spec §6) of what a conversation has of something
 * (episodes, injected skills), any role, in the list envelope. */
export function conversationListRoute<C extends string, T>(
  routes: RouteGroup,
  store: MemoryStore,
  spec: {
    prefix: string;
    summary: string;
    item: z.ZodType<T>;
    listOptions: ListOptions<C>;
    list: (
      store: MemoryStore,
      tenant: string,
      conversationId: string,
      params: PageParams<C>,
    ) => Promise<{ rows: T[]; total: number }>;
  },
): void {
  routes.route({
    method: 'get',
    path: `${spec.prefix}/{conversation_id}`,
    summary: spec.summary,
    roles: 'any',
    params: conversationParams,
    query: listQuerySchema(spec.listOptions),
    responses: { 200: listEnvelopeSchema(spec.item) },
    handler: async (_ctx, { params, query, tenant }) => {
      const page = toListParams(query, spec.listOptions);
      const { rows, total } = await spec.list(store, tenant, params.conversation_id, page);
      return listEnvelope(rows, total, page);
    },
  });
}
