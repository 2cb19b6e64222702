import {
  alertDraftSchema,
  isoDateTime,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  toListParams,
  type ServiceApi,
  type Store,
} from '@aegis/common';
import { z } from 'zod';
import { queryPeriod } from '../events/views';
import { ALERT_LEVELS, ALERT_SORTABLE, listAlerts } from './alerts';

export const alertSchema = z
  .object({
    alert_id: z.string(),
    tenant_id: z.string(),
    source: z.string(),
    ...alertDraftSchema.shape,
    created_at: z.string(),
  })
  .meta({ id: 'FlaringAlert' });

const listOptions = { sortable: ALERT_SORTABLE, defaultSort: 'created_at', defaultDir: 'desc' } as const;

/** `GET /flaring/alerts`: the alerts the sweep recorded, newest first. */
export function alertRoutes(api: ServiceApi, deps: { store: Store }): void {
  api.group({ tags: ['flaring'] }).route({
    method: 'get',
    path: '/flaring/alerts',
    summary: 'Alerts recorded by the flaring sweep (each once), newest first',
    roles: 'any',
    query: listQuerySchema(listOptions).extend({
      level: z.enum(ALERT_LEVELS).optional(),
      code: z.string().max(100).optional(),
      entity_id: z.string().max(200).optional(),
      from: isoDateTime().optional().describe('created_at ≥ from'),
      to: isoDateTime().optional().describe('created_at ≤ to'),
    }),
    responses: { 200: listEnvelopeSchema(alertSchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, listOptions);
      const { rows, total } = await listAlerts(
        deps.store,
        tenant,
        {
          level: query.level,
          code: query.code,
          entity_id: query.entity_id,
          ...queryPeriod(query),
        },
        params,
      );
      return listEnvelope(rows, total, params);
    },
  });
}
