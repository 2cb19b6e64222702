import { type ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { assembleContext } from '../store/context';
import { TEMPLATE_IDS, TEMPLATES, templateById } from '../store/templates';
import { today, type RouteDeps } from './context';
import { calendarDate, entitySchema } from './schemas';

function templateBody(t: (typeof TEMPLATES)[number]) {
  return z.strictObject({
    template_id: z.literal(t.id).describe(t.description),
    params: t.params.safeParse({}).success ? t.params.prefault({}) : t.params,
  });
}
type TemplateBody = ReturnType<typeof templateBody>;

/** One body shape per template (its id and its own parameters), so the document states exactly what
 * each template takes; `params` may be left out where the template needs none. */
const querySchema = z.discriminatedUnion(
  'template_id',
  TEMPLATES.map(templateBody) as [TemplateBody, ...TemplateBody[]],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `must be one of: ${TEMPLATE_IDS.join(', ')}` : undefined,
  },
);

const contextQuery = z.object({
  as_of: calendarDate.optional(),
  flaring_days: z.coerce.number().int().min(1).max(3650).default(90),
  offset_radius_ft: z.coerce.number().positive().max(528_000).default(5280),
});

const templatesAnswer = z.object({
  data: z.array(
    z.object({ template_id: z.string(), description: z.string(), params: z.record(z.string(), z.unknown()) }),
  ),
  total: z.number().int(),
});
const queryAnswer = z.object({
  template_id: z.string(),
  params: z.record(z.string(), z.unknown()),
  count: z.number().int(),
  data: z.array(z.unknown()),
});
const contextAnswer = z.looseObject({
  well: entitySchema,
  lease: entitySchema.nullable(),
  field: entitySchema.nullable(),
  operator: entitySchema.nullable(),
});

/** POST /query (whitelisted templates only), GET /query/templates, GET /context/assemble/{well_api}. */
export function queryRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['query'] });
  routes.route({
    method: 'get',
    path: '/query/templates',
    summary: 'The templates with their parameter schemas',
    roles: ['viewer'],
    responses: { 200: templatesAnswer },
    handler: () => ({
      data: TEMPLATES.map((t) => ({
        template_id: t.id,
        description: t.description,
        params: z.toJSONSchema(t.params, { io: 'input' }),
      })),
      total: TEMPLATES.length,
    }),
  });

  routes.route({
    method: 'post',
    path: '/query',
    summary: 'Run a whitelisted query template',
    roles: ['viewer'],
    body: querySchema,
    responses: { 200: queryAnswer },
    errors: [404], // a template naming a well the tenant does not have
    handler: async (_ctx, { body, tenant }) => {
      const template = templateById(body.template_id);
      if (!template) throw new Error(`template ${body.template_id} validated but not defined`);
      const params = body.params;
      const data = await template.run({ db: deps.store, tenant, today: today(deps) }, params);
      return { template_id: template.id, params, count: data.length, data };
    },
  });

  routes.route({
    method: 'get',
    path: '/context/assemble/{well_api}',
    summary:
      'Everything about one well: lease, field, operator, permits, authorisations, recent flaring, offset wells, regulations, deadlines',
    roles: ['viewer'],
    params: z.object({
      well_api: z.string().min(1).max(200).describe('API number (any accepted form) or entity id'),
    }),
    query: contextQuery,
    responses: { 200: contextAnswer },
    errors: [404],
    handler: (_ctx, { params, query: q, tenant }) =>
      assembleContext(deps.store, tenant, params.well_api, {
        today: q.as_of ?? today(deps),
        flaringDays: q.flaring_days,
        offsetRadiusFt: q.offset_radius_ft,
      }),
  });
}
