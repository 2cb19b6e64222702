import { ConflictError, listEnvelope, NotFoundError, parseBody, parseListParams } from '@aegis/common';
import type { Router } from '@koa/router';
import { entityTypeCreateSchema, entityTypePatchSchema, fieldDefinitionSchema } from '../domain/entity-types';
import {
  createEntityType,
  deleteEntityType,
  entityTypeView,
  listEntityTypes,
  requireEntityType,
  saveEntityType,
} from '../store/entity-types';
import { caller, nowIso, type RouteDeps } from './context';

/** Managed entity types and their field definitions (admins write, viewers read). */
export function entityTypeRoutes(router: Router, deps: RouteDeps): void {
  router.get('/entity-types', async (ctx) => {
    ctx.state.route = 'GET /entity-types';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const params = parseListParams(ctx.query, {
      sortable: ['key', 'created_at', 'updated_at'] as const,
      defaultSort: 'key',
    });
    const views = (await listEntityTypes(deps.store, tenant)).map(entityTypeView);
    const sorted = views.sort((a, b) => {
      const x = String(a[params.sortBy]);
      const y = String(b[params.sortBy]);
      return (x < y ? -1 : x > y ? 1 : 0) * (params.sortDir === 'desc' ? -1 : 1);
    });
    ctx.body = listEnvelope(sorted.slice(params.offset, params.offset + params.limit), sorted.length, params);
  });

  router.post('/entity-types', async (ctx) => {
    ctx.state.route = 'POST /entity-types';
    const { tenant } = await caller(ctx, deps, 'admin');
    const body = parseBody(ctx, entityTypeCreateSchema);
    const created = await deps.store.transaction((tx) =>
      createEntityType(
        tx,
        tenant,
        {
          key: body.key,
          displayName: body.display_name ?? body.key,
          description: body.description ?? null,
          fields: body.fields,
        },
        nowIso(deps),
      ),
    );
    ctx.status = 201;
    ctx.set('Location', `/entity-types/${created.key}`);
    ctx.body = entityTypeView(created);
  });

  router.get('/entity-types/:key', async (ctx) => {
    ctx.state.route = 'GET /entity-types/{key}';
    const { tenant } = await caller(ctx, deps, 'viewer');
    ctx.body = entityTypeView(await requireEntityType(deps.store, tenant, ctx.params.key));
  });

  router.patch('/entity-types/:key', async (ctx) => {
    ctx.state.route = 'PATCH /entity-types/{key}';
    const { tenant } = await caller(ctx, deps, 'admin');
    const body = parseBody(ctx, entityTypePatchSchema);
    ctx.body = entityTypeView(
      await deps.store.transaction(async (tx) => {
        const t = await requireEntityType(tx, tenant, ctx.params.key);
        return saveEntityType(
          tx,
          tenant,
          {
            ...t,
            displayName: body.display_name ?? t.displayName,
            description: body.description ?? t.description,
            fields: body.fields ?? t.fields,
          },
          nowIso(deps),
        );
      }),
    );
  });

  router.delete('/entity-types/:key', async (ctx) => {
    ctx.state.route = 'DELETE /entity-types/{key}';
    const { tenant } = await caller(ctx, deps, 'admin');
    await deleteEntityType(deps.store, tenant, ctx.params.key);
    ctx.status = 204;
  });

  router.get('/entity-types/:key/fields', async (ctx) => {
    ctx.state.route = 'GET /entity-types/{key}/fields';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const params = parseListParams(ctx.query, {
      sortable: ['name'] as const,
      defaultSort: 'name',
      maxPageSize: 200,
    });
    const t = await requireEntityType(deps.store, tenant, ctx.params.key);
    const fields = [...t.fields].sort(
      (a, b) => (a.name < b.name ? -1 : 1) * (params.sortDir === 'desc' ? -1 : 1),
    );
    ctx.body = listEnvelope(fields.slice(params.offset, params.offset + params.limit), fields.length, params);
  });

  router.post('/entity-types/:key/fields', async (ctx) => {
    ctx.state.route = 'POST /entity-types/{key}/fields';
    const { tenant } = await caller(ctx, deps, 'admin');
    const field = parseBody(ctx, fieldDefinitionSchema);
    ctx.status = 201;
    ctx.body = await deps.store.transaction(async (tx) => {
      const t = await requireEntityType(tx, tenant, ctx.params.key);
      if (t.fields.some((f) => f.name === field.name))
        throw new ConflictError(`Field ${field.name} already exists`, 'field_exists');
      await saveEntityType(tx, tenant, { ...t, fields: [...t.fields, field] }, nowIso(deps));
      return field;
    });
  });

  router.put('/entity-types/:key/fields/:name', async (ctx) => {
    ctx.state.route = 'PUT /entity-types/{key}/fields/{name}';
    const { tenant } = await caller(ctx, deps, 'admin');
    const field = parseBody(ctx, fieldDefinitionSchema);
    ctx.body = await deps.store.transaction(async (tx) => {
      const t = await requireEntityType(tx, tenant, ctx.params.key);
      const i = t.fields.findIndex((f) => f.name === ctx.params.name);
      if (i < 0) throw new NotFoundError(`Field ${ctx.params.name} not found`, 'field_not_found');
      if (field.name !== ctx.params.name && t.fields.some((f) => f.name === field.name))
        throw new ConflictError(`Field ${field.name} already exists`, 'field_exists');
      const fields = [...t.fields];
      fields[i] = field;
      await saveEntityType(tx, tenant, { ...t, fields }, nowIso(deps));
      return field;
    });
  });

  router.delete('/entity-types/:key/fields/:name', async (ctx) => {
    ctx.state.route = 'DELETE /entity-types/{key}/fields/{name}';
    const { tenant } = await caller(ctx, deps, 'admin');
    await deps.store.transaction(async (tx) => {
      const t = await requireEntityType(tx, tenant, ctx.params.key);
      if (!t.fields.some((f) => f.name === ctx.params.name))
        throw new NotFoundError(`Field ${ctx.params.name} not found`, 'field_not_found');
      await saveEntityType(
        tx,
        tenant,
        { ...t, fields: t.fields.filter((f) => f.name !== ctx.params.name) },
        nowIso(deps),
      );
    });
    ctx.status = 204;
  });
}
