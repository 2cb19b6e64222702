import {
  listEnvelope,
  NotFoundError,
  parseListParams,
  parseQuery,
  type Store,
  type TokenVerifier,
} from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { getJob, JOB_KINDS, JOB_SORTABLE, JOB_STATUSES, listJobs } from '../store/jobs';
import { authorize, READ_ROLES } from './context';
import { jobView } from './views';

export interface JobRouteDeps {
  verifier: TokenVerifier;
  store: Store;
}

const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO 8601 date or date-time' })
  .transform((v) => Date.parse(v));

const filterSchema = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  data_type: z.string().min(1).max(50).optional(),
  kind: z.enum(JOB_KINDS).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

/** GET /ingest/jobs (§6 list: page/page_size or limit/offset, sort_by, filters status, data_type,
 * kind, from/to on created_at; newest first by default) and GET /ingest/jobs/{id} (with errors).
 * Any role may read its tenant's jobs; another tenant's job is a 404. */
export function jobRoutes(router: Router, deps: JobRouteDeps): void {
  router.get('/ingest/jobs', async (ctx) => {
    ctx.state.route = 'GET /ingest/jobs';
    const { identity } = await authorize(ctx, deps.verifier, ...READ_ROLES);
    const params = parseListParams(ctx.query, {
      sortable: JOB_SORTABLE,
      defaultSort: 'created_at',
      defaultDir: 'desc',
    });
    const filter = parseQuery(ctx, filterSchema);
    const { jobs, total } = await listJobs(
      deps.store,
      {
        tenantId: identity.tenantId,
        status: filter.status,
        dataType: filter.data_type,
        kind: filter.kind,
        from: filter.from,
        to: filter.to,
      },
      params,
    );
    ctx.body = listEnvelope(
      jobs.map((j) => jobView(j, false)),
      total,
      params,
    );
  });

  router.get('/ingest/jobs/:id', async (ctx) => {
    ctx.state.route = 'GET /ingest/jobs/:id';
    const { identity } = await authorize(ctx, deps.verifier, ...READ_ROLES);
    const job = await getJob(deps.store, identity.tenantId, ctx.params.id ?? '');
    if (!job) throw new NotFoundError('Job not found');
    ctx.body = jobView(job);
  });
}
