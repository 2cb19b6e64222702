import {
  enumFilter,
  isoDate,
  isoDateTime,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  NotFoundError,
  toListParams,
  type ServiceApi,
  type Store,
} from '@aegis/common';
import { z } from 'zod';
import { DATA_TYPES } from '../domain/datatypes';
import { getJob, JOB_KINDS, JOB_SORTABLE, JOB_STATUSES, listJobs } from '../store/jobs';
import { READ_ROLES } from './context';
import { jobSchema, jobSummarySchema } from './schemas';
import { jobView } from './views';

export interface JobRouteDeps {
  store: Store;
}

/** A calendar date (its midnight UTC) or an RFC 3339 date-time with offset: the platform's date rules
 * (the document shows both formats and patterns). */
const instant = z
  .union([isoDate(), isoDateTime()], {
    message: 'must be a date YYYY-MM-DD or an RFC 3339 date-time such as 2026-03-01T06:30:00Z',
  })
  .transform((v) => Date.parse(v));

const listOptions = { sortable: JOB_SORTABLE, defaultSort: 'created_at', defaultDir: 'desc' } as const;
const listQuery = listQuerySchema(listOptions).extend({
  status: enumFilter(JOB_STATUSES).optional(),
  data_type: enumFilter(DATA_TYPES).optional(),
  kind: enumFilter(JOB_KINDS).optional(),
  from: instant.optional().describe('created_at ≥ from (ISO 8601)'),
  to: instant.optional().describe('created_at < to (ISO 8601)'),
});

const tags = ['jobs'];

/** GET /ingest/jobs (§6 list: page/page_size or limit/offset, sort_by, filters status, data_type,
 * kind, from/to on created_at; newest first by default) and GET /ingest/jobs/{id} (with errors).
 * Any role may read its tenant's jobs; another tenant's job is a 404. */
export function jobRoutes(api: ServiceApi, deps: JobRouteDeps): void {
  api.route({
    method: 'get',
    path: '/ingest/jobs',
    summary: 'List ingestion jobs (newest first by default)',
    tags,
    roles: READ_ROLES,
    query: listQuery,
    responses: { 200: listEnvelopeSchema(jobSummarySchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, listOptions);
      const { jobs, total } = await listJobs(
        deps.store,
        {
          tenantId: tenant,
          status: query.status,
          dataType: query.data_type,
          kind: query.kind,
          from: query.from,
          to: query.to,
        },
        params,
      );
      return listEnvelope(
        jobs.map((j) => jobView(j, false)),
        total,
        params,
      );
    },
  });

  api.route({
    method: 'get',
    path: '/ingest/jobs/{id}',
    summary: 'One job, with its (capped) row errors',
    tags,
    roles: READ_ROLES,
    params: z.object({ id: z.string() }),
    responses: { 200: jobSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      const job = await getJob(deps.store, tenant, params.id);
      if (!job) throw new NotFoundError('Job not found');
      return jobView(job);
    },
  });
}
