import { parseBody, parseQuery, parseWith, ValidationError } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { ISO_DATE_PATTERN } from '../domain/dates';
import { assembleContext } from '../store/context';
import { TEMPLATE_IDS, TEMPLATES, templateById } from '../store/templates';
import { caller, today, type RouteDeps } from './context';

const querySchema = z.strictObject({
  template_id: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
});

const contextQuery = z.object({
  as_of: z.string().regex(ISO_DATE_PATTERN, { message: 'must be a date (YYYY-MM-DD)' }).optional(),
  flaring_days: z.coerce.number().int().min(1).max(3650).default(90),
  offset_radius_ft: z.coerce.number().positive().max(528_000).default(5280),
});

/** POST /query (whitelisted templates only), GET /query/templates, GET /context/assemble/{well_api}. */
export function queryRoutes(router: Router, deps: RouteDeps): void {
  router.get('/query/templates', async (ctx) => {
    ctx.state.route = 'GET /query/templates';
    await caller(ctx, deps, 'viewer');
    ctx.body = {
      data: TEMPLATES.map((t) => ({
        template_id: t.id,
        description: t.description,
        params: z.toJSONSchema(t.params, { io: 'input' }),
      })),
      total: TEMPLATES.length,
    };
  });

  router.post('/query', async (ctx) => {
    ctx.state.route = 'POST /query';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const body = parseBody(ctx, querySchema);
    const template = templateById(body.template_id);
    if (!template)
      throw ValidationError.single(
        ['body', 'template_id'],
        `must be one of: ${TEMPLATE_IDS.join(', ')}`,
        'enum',
      );
    let params: unknown;
    try {
      params = parseWith(template.params, body.params, 'params');
    } catch (err) {
      if (err instanceof ValidationError && Array.isArray(err.detail))
        throw new ValidationError(err.detail.map((i) => ({ ...i, loc: ['body', ...i.loc] })));
      throw err;
    }
    const data = await template.run({ db: deps.store, tenant, today: today(deps) }, params);
    ctx.body = { template_id: template.id, params, count: data.length, data };
  });

  router.get('/context/assemble/:wellApi', async (ctx) => {
    ctx.state.route = 'GET /context/assemble/{well_api}';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const q = parseQuery(ctx, contextQuery);
    ctx.body = await assembleContext(deps.store, tenant, ctx.params.wellApi, {
      today: q.as_of ?? today(deps),
      flaringDays: q.flaring_days,
      offsetRadiusFt: q.offset_radius_ft,
    });
  });
}
