import {
  listEnvelope,
  parseBody,
  parseListParams,
  ValidationError,
  type ValidationIssue,
} from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { entityItemSchema, normaliseEntityId, prepareEntity } from '../domain/items';
import { PROPERTY_NAME_PATTERN } from '../domain/labels';
import { applyItems } from '../store/apply';
import { batchSchema, newEntityId, prepareBatch } from '../store/batch';
import {
  deleteEntity,
  ENTITY_SORTABLE,
  insertEntity,
  listEntities,
  replaceEntity,
  requireEntity,
} from '../store/entities';
import { typeIssues } from '../store/entity-types';
import { caller, LIST_KEYS, nowIso, pathLabel, type RouteDeps } from './context';

const putSchema = z.strictObject({ properties: z.record(z.string(), z.unknown()) });
const productionRecord = z.strictObject({
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be YYYY-MM' }),
  oil_bbl: z.number().min(0).optional(),
  gas_mcf: z.number().min(0).optional(),
  water_bbl: z.number().min(0).optional(),
  condensate_bbl: z.number().min(0).optional(),
  flared_mcf: z.number().min(0).optional(),
  vented_mcf: z.number().min(0).optional(),
  days_produced: z.number().int().min(0).max(31).optional(),
});
const productionSchema = z.strictObject({ records: z.array(productionRecord).min(1).max(600) });

async function checkTypes(
  deps: RouteDeps,
  tenant: string,
  entity: Parameters<typeof typeIssues>[2][number]['entity'],
) {
  const issues: ValidationIssue[] = await typeIssues(deps.store, tenant, [{ entity, loc: ['body'] }]);
  if (issues.length > 0) throw new ValidationError(issues);
}

/** Entities: create, bulk upsert, list with property filters, read, replace, delete, production. */
export function entityRoutes(router: Router, deps: RouteDeps): void {
  router.post('/entities', async (ctx) => {
    ctx.state.route = 'POST /entities';
    const { tenant } = await caller(ctx, deps, 'operator');
    const body = parseBody(ctx, entityItemSchema);
    const prepared = prepareEntity(body, ['body'], { generateId: newEntityId });
    if (!prepared.ok) throw new ValidationError(prepared.issues);
    await checkTypes(deps, tenant, prepared.value);
    const created = await deps.store.transaction((tx) =>
      insertEntity(tx, tenant, prepared.value, nowIso(deps)),
    );
    ctx.status = 201;
    ctx.set('Location', `/entities/${created.label}/${encodeURIComponent(created.entity_id)}`);
    ctx.body = created;
  });

  router.post('/entities/bulk', async (ctx) => {
    ctx.state.route = 'POST /entities/bulk';
    const { tenant } = await caller(ctx, deps, 'operator');
    const body = parseBody(ctx, batchSchema);
    const batch = await prepareBatch(deps.store, tenant, body);
    const now = nowIso(deps);
    ctx.body = await deps.store.transaction((tx) =>
      applyItems(
        tx,
        tenant,
        batch.entities.map((e) => e.entity),
        batch.edges,
        now,
      ),
    );
  });

  router.get('/entities/:label', async (ctx) => {
    ctx.state.route = 'GET /entities/{label}';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const label = pathLabel(ctx.params.label);
    const params = parseListParams(ctx.query, { sortable: ENTITY_SORTABLE, defaultSort: 'entity_id' });
    const filters: Record<string, string> = {};
    const issues: ValidationIssue[] = [];
    for (const [key, value] of Object.entries(ctx.query)) {
      if (LIST_KEYS.has(key)) continue;
      if (!PROPERTY_NAME_PATTERN.test(key))
        issues.push({ loc: ['query', key], msg: 'not a property name', type: 'value_error' });
      else if (typeof value !== 'string')
        issues.push({ loc: ['query', key], msg: 'give a filter once', type: 'value_error' });
      else filters[key] = key === 'api_number' ? normaliseEntityId(label, value) : value;
    }
    if (issues.length > 0) throw new ValidationError(issues);
    const { rows, total } = await listEntities(deps.store, tenant, label, filters, params);
    ctx.body = listEnvelope(rows, total, params);
  });

  router.get('/entities/:label/:id', async (ctx) => {
    ctx.state.route = 'GET /entities/{label}/{entity_id}';
    const { tenant } = await caller(ctx, deps, 'viewer');
    const label = pathLabel(ctx.params.label);
    ctx.body = await requireEntity(deps.store, tenant, label, normaliseEntityId(label, ctx.params.id));
  });

  router.put('/entities/:label/:id', async (ctx) => {
    ctx.state.route = 'PUT /entities/{label}/{entity_id}';
    const { tenant } = await caller(ctx, deps, 'operator');
    const label = pathLabel(ctx.params.label);
    const body = parseBody(ctx, putSchema);
    const id = normaliseEntityId(label, ctx.params.id);
    const prepared = prepareEntity({ label, entity_id: id, properties: body.properties }, ['body']);
    if (!prepared.ok) throw new ValidationError(prepared.issues);
    await checkTypes(deps, tenant, prepared.value);
    ctx.body = await deps.store.transaction((tx) => replaceEntity(tx, tenant, prepared.value, nowIso(deps)));
  });

  router.delete('/entities/:label/:id', async (ctx) => {
    ctx.state.route = 'DELETE /entities/{label}/{entity_id}';
    const { tenant } = await caller(ctx, deps, 'operator');
    const label = pathLabel(ctx.params.label);
    const id = normaliseEntityId(label, ctx.params.id);
    await deps.store.transaction((tx) => deleteEntity(tx, tenant, label, id));
    ctx.status = 204;
  });

  router.put('/entities/Well/:id/production', async (ctx) => {
    ctx.state.route = 'PUT /entities/Well/{entity_id}/production';
    const { tenant } = await caller(ctx, deps, 'operator');
    const body = parseBody(ctx, productionSchema);
    const id = normaliseEntityId('Well', ctx.params.id);
    ctx.body = await deps.store.transaction(async (tx) => {
      const well = await requireEntity(tx, tenant, 'Well', id);
      const byPeriod = new Map<string, Record<string, unknown>>();
      const existing = Array.isArray(well.properties.production)
        ? (well.properties.production as Record<string, unknown>[])
        : [];
      for (const r of existing) if (typeof r.period === 'string') byPeriod.set(r.period, r);
      for (const r of body.records) byPeriod.set(r.period, { ...r });
      const production = [...byPeriod.values()].sort((a, b) =>
        String(a.period) < String(b.period) ? -1 : 1,
      );
      const prepared = prepareEntity(
        { label: 'Well', entity_id: id, properties: { ...well.properties, production } },
        ['body'],
      );
      if (!prepared.ok) throw new ValidationError(prepared.issues);
      const saved = await replaceEntity(tx, tenant, prepared.value, nowIso(deps));
      return { well: saved, production, periods_written: body.records.length };
    });
  });
}
