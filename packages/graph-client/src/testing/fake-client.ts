import { NotFoundError, type ValidationIssue } from '@aegis/common';
import type { ZodError } from 'zod';
import type { GraphCaller, KnowledgeGraphClient } from '../client';
import {
  type CommitCounts,
  type EdgeItem,
  type EntityItem,
  type EntityView,
  type GraphItems,
  graphItemsSchema,
} from '../items';
import { mergeProduction, productionBodySchema } from '../production';

/**
 * Test support (source only, never built): an in-memory KnowledgeGraphClient with the graph's
 * semantics for callers' unit tests, without a server. Items are validated with the shared schemas
 * (a 422's issues are located at `["body", "entities", i, ...]`); staged batches are invisible until
 * one commit applies them; discard drops them; bulk applies at once. Tenants come from the token: the
 * `tenant_id` claim of a JWT, else the token itself.
 */
export interface FakeGraphClient extends KnowledgeGraphClient {
  /** Stored entities of a tenant (of one label). */
  entities(tenant: string, label?: string): EntityView[];
  /** Stored edges of a tenant (of one relationship type). */
  edges(tenant: string, relType?: string): EdgeItem[];
  /** Rows of POST /query, by template id; an unknown template answers 404. */
  templates: Record<string, (params: Record<string, unknown>, tenant: string) => unknown[]>;
  /** Every call, in order, for assertions. */
  calls: { method: keyof KnowledgeGraphClient; tenant: string }[];
}

/** The tenant a call acts on: the one it names, or the token's. */
export function tenantOfCaller(caller: GraphCaller): string {
  return typeof caller === 'string'
    ? tenantOfToken(caller)
    : (caller.tenantId ?? tenantOfToken(caller.token));
}

export function tenantOfToken(token: string): string {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      tenant_id?: unknown;
    };
    if (typeof claims.tenant_id === 'string') return claims.tenant_id;
  } catch {
    // not a JWT: the token names the tenant
  }
  return token;
}

/** A schema's issues located in the request body, as the graph's 422 names them. */
function bodyIssues(error: ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({
    loc: ['body', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    msg: i.message,
    type: 'value_error',
  }));
}

interface Import {
  tenant: string;
  status: 'open' | 'committed' | 'discarded';
  batches: { entities: EntityItem[]; edges: EdgeItem[] }[];
}

export function createFakeGraphClient(options: { now?: () => string } = {}): FakeGraphClient {
  const now = options.now ?? (() => new Date().toISOString());
  const stored = new Map<string, Map<string, EntityView>>();
  const storedEdges = new Map<string, Map<string, EdgeItem>>();
  const imports = new Map<string, Import>();
  let nextImport = 1;
  let nextEntity = 1;

  type Validated = { batch: Import['batches'][number]; issues?: undefined } | { issues: ValidationIssue[] };
  const validate = (items: GraphItems): Validated => {
    const parsed = graphItemsSchema.safeParse(items);
    if (parsed.success) return { batch: parsed.data };
    return { issues: bodyIssues(parsed.error) };
  };

  const apply = (tenant: string, batches: Import['batches']): CommitCounts => {
    const counts = { created: 0, updated: 0, edges_created: 0, edges_updated: 0 };
    const entities = stored.get(tenant) ?? new Map<string, EntityView>();
    const edges = storedEdges.get(tenant) ?? new Map<string, EdgeItem>();
    const at = now();
    for (const batch of batches) {
      for (const e of batch.entities) {
        const id = e.entity_id ?? `fake-${nextEntity++}`;
        const key = `${e.label}|${id}`;
        const prev = entities.get(key);
        counts[prev ? 'updated' : 'created'] += 1;
        entities.set(key, {
          label: e.label,
          entity_id: id,
          properties: { ...prev?.properties, ...e.properties },
          created_at: prev?.created_at ?? at,
          updated_at: at,
        });
      }
      for (const e of batch.edges) {
        const key = `${e.from_label}|${e.from_id}|${e.rel_type}|${e.to_label}|${e.to_id}`;
        counts[edges.has(key) ? 'edges_updated' : 'edges_created'] += 1;
        edges.set(key, e);
      }
    }
    stored.set(tenant, entities);
    storedEdges.set(tenant, edges);
    return counts;
  };

  const openImport = (caller: GraphCaller, importId: string): Import => {
    const imp = imports.get(importId);
    if (!imp || imp.tenant !== tenantOfCaller(caller))
      throw new NotFoundError(`Import ${importId} not found`);
    return imp;
  };

  const fake: FakeGraphClient = {
    templates: {},
    calls: [],
    entities: (tenant, label) =>
      [...(stored.get(tenant)?.values() ?? [])].filter((e) => !label || e.label === label),
    edges: (tenant, relType) =>
      [...(storedEdges.get(tenant)?.values() ?? [])].filter((e) => !relType || e.rel_type === relType),

    async createImport(caller) {
      const tenant = tenantOfCaller(caller);
      fake.calls.push({ method: 'createImport', tenant });
      const id = `imp-${nextImport++}`;
      imports.set(id, { tenant, status: 'open', batches: [] });
      return id;
    },
    async stage(caller, importId, items) {
      fake.calls.push({ method: 'stage', tenant: tenantOfCaller(caller) });
      const imp = openImport(caller, importId);
      if (imp.status !== 'open') throw new Error(`Import ${importId} is ${imp.status}`);
      const v = validate(items);
      if (v.issues) return { ok: false, issues: v.issues };
      imp.batches.push(v.batch);
      return { ok: true };
    },
    async commit(caller, importId) {
      fake.calls.push({ method: 'commit', tenant: tenantOfCaller(caller) });
      const imp = openImport(caller, importId);
      if (imp.status !== 'open') throw new Error(`Import ${importId} is ${imp.status}`);
      imp.status = 'committed';
      const counts = apply(imp.tenant, imp.batches);
      imp.batches = [];
      return counts;
    },
    async discard(caller, importId) {
      fake.calls.push({ method: 'discard', tenant: tenantOfCaller(caller) });
      const imp = imports.get(importId);
      if (imp?.status === 'open') imp.status = 'discarded';
      if (imp) imp.batches = [];
    },
    async bulk(caller, items) {
      const tenant = tenantOfCaller(caller);
      fake.calls.push({ method: 'bulk', tenant });
      const v = validate(items);
      if (v.issues) return { rejected: v.issues };
      return apply(tenant, [v.batch]);
    },
    async getEntity(caller, label, entityId) {
      const tenant = tenantOfCaller(caller);
      fake.calls.push({ method: 'getEntity', tenant });
      return stored.get(tenant)?.get(`${label}|${entityId}`);
    },
    async query(caller, templateId, params) {
      const tenant = tenantOfCaller(caller);
      fake.calls.push({ method: 'query', tenant });
      const template = fake.templates[templateId];
      if (!template) throw new NotFoundError(`Query template ${templateId} not found`);
      return template(params, tenant);
    },
    async putProduction(caller, wellId, records) {
      const tenant = tenantOfCaller(caller);
      fake.calls.push({ method: 'putProduction', tenant });
      const parsed = productionBodySchema.safeParse({ records });
      if (!parsed.success) return { status: 'rejected', issues: bodyIssues(parsed.error) };
      const well = stored.get(tenant)?.get(`Well|${wellId}`);
      if (!well) return { status: 'not_found' };
      const production = mergeProduction(well.properties.production, parsed.data.records);
      well.properties = { ...well.properties, production };
      well.updated_at = now();
      return { status: 'written', production };
    },
    async replaceProperties(caller, label, entityId, properties) {
      const tenant = tenantOfCaller(caller);
      fake.calls.push({ method: 'replaceProperties', tenant });
      const entity = stored.get(tenant)?.get(`${label}|${entityId}`);
      if (!entity) return undefined;
      entity.properties = { ...properties };
      entity.updated_at = now();
      return entity;
    },
  };
  return fake;
}
