import type http from 'node:http';
import { resolveTenant, type Role, type ValidationIssue } from '@aegis/common';
import { mergeProduction, productionBodySchema, type EdgeItem, type EntityItem } from '@aegis/graph-client';
import { listen } from './listen';

/**
 * An in-memory stand-in for the knowledge graph's import and bulk endpoints as the contract between
 * the two services describes them, for ingestion's tests — staged items are invisible until one commit applies them; DELETE discards; bulk is one transaction; 422 names
 * `["body", "entities", i, ...]`. Also an entity's read and replace and a well's production
 * (`PUT /entities/Well/{id}/production`, merged by period). Tenants come from the bearer token's
 * (unverified) `tenant_id`.
 */
export interface FakeKnowledgeGraph {
  url: string;
  /** Stored entities of a tenant and label. */
  entities(tenant: string, label?: string): EntityItem[];
  edges(tenant: string, relType?: string): EdgeItem[];
  /** Imports by status. */
  imports(): { id: string; tenant: string; status: 'open' | 'committed' | 'discarded'; staged: number }[];
  /** Most stage requests in flight at once. */
  maxConcurrentStages: number;
  stageRequests: number;
  /** Rejects an entity with a 422 naming `properties.<field>` when this returns a message. */
  rejectEntity?: (entity: EntityItem) => { field: string; msg: string } | undefined;
  /** Answers stage requests with 500 from this many on (1-based); undefined = never. */
  failStageFrom?: number;
  /** Delay of every stage request (simulates a busy graph). */
  stageDelayMs: number;
  /** While set, stage requests wait for it (a graph that is stuck). */
  gate?: Promise<void>;
  /** Answers production writes with 500 from this many on (1-based); undefined = never. */
  failProductionFrom?: number;
  productionRequests: number;
  close(): Promise<void>;
}

interface Import {
  id: string;
  tenant: string;
  status: 'open' | 'committed' | 'discarded';
  items: { entities: EntityItem[]; edges: EdgeItem[] }[];
}

const MAX_ITEMS = 5000;

/** The tenant a request acts on, by the graph's rule: the token's, or the `tenant_id` a platform admin
 * names (anyone else naming another tenant is refused). */
function tenantOf(req: http.IncomingMessage, requested: string | null): string | undefined {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  let identity: { tenantId: string; roles: Role[] };
  try {
    const payload = JSON.parse(Buffer.from(m[1].split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      tenant_id?: string;
      roles?: Role[];
    };
    if (typeof payload.tenant_id !== 'string') return undefined;
    identity = { tenantId: payload.tenant_id, roles: payload.roles ?? [] };
  } catch {
    return undefined;
  }
  return resolveTenant(identity, requested ?? undefined); // 403 cross_tenant for anyone else
}

export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export type FakeSend = (status: number, body?: unknown) => void;

/** The request handler of a fake service: JSON answers, the request's tenant resolved first (401 and
 * 403 `cross_tenant` as the services answer them), a throw answered 500. */
export function fakeServiceHandler(
  route: (req: http.IncomingMessage, at: { tenant: string; target: URL; send: FakeSend }) => Promise<void>,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const send: FakeSend = (status, body) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    void (async () => {
      const target = new URL(req.url ?? '/', 'http://fake');
      let tenant: string | undefined;
      try {
        tenant = tenantOf(req, target.searchParams.get('tenant_id'));
      } catch {
        return send(403, {
          detail: 'tenant_id does not match the tenant of the token',
          code: 'cross_tenant',
        });
      }
      if (!tenant) return send(401, { detail: 'Invalid token', code: 'unauthorized' });
      await route(req, { tenant, target, send });
    })().catch((err: unknown) => send(500, { detail: String(err), code: 'internal_error' }));
  };
}

export async function startFakeKnowledgeGraph(): Promise<FakeKnowledgeGraph> {
  const stored = new Map<string, Map<string, EntityItem>>(); // tenant → label|id → entity
  const storedEdges = new Map<string, Map<string, EdgeItem>>();
  const imports = new Map<string, Import>();
  let nextId = 1;
  let inFlight = 0;
  let stageCount = 0;

  const fake: FakeKnowledgeGraph = {
    url: '',
    stageDelayMs: 0,
    maxConcurrentStages: 0,
    stageRequests: 0,
    productionRequests: 0,
    entities: (tenant, label) =>
      [...(stored.get(tenant)?.values() ?? [])].filter((e) => !label || e.label === label),
    edges: (tenant, rel) =>
      [...(storedEdges.get(tenant)?.values() ?? [])].filter((e) => !rel || e.rel_type === rel),
    imports: () =>
      [...imports.values()].map((i) => ({
        id: i.id,
        tenant: i.tenant,
        status: i.status,
        staged: i.items.reduce((n, b) => n + b.entities.length + b.edges.length, 0),
      })),
    close: () => Promise.resolve(),
  };

  const validate = (body: unknown): { items?: Import['items'][number]; issues?: ValidationIssue[] } => {
    const b = body as { entities?: unknown; edges?: unknown } | undefined;
    if (!b || !Array.isArray(b.entities) || !Array.isArray(b.edges))
      return { issues: [{ loc: ['body'], msg: 'entities and edges required', type: 'missing' }] };
    if (b.entities.length + b.edges.length > MAX_ITEMS)
      return { issues: [{ loc: ['body'], msg: `at most ${MAX_ITEMS} items`, type: 'too_big' }] };
    const issues: ValidationIssue[] = [];
    (b.entities as EntityItem[]).forEach((e, i) => {
      if (typeof e.entity_id !== 'string' || e.entity_id === '' || /[/?#]/.test(e.entity_id))
        issues.push({
          loc: ['body', 'entities', i, 'entity_id'],
          msg: 'invalid entity_id',
          type: 'value_error',
        });
      const bad = fake.rejectEntity?.(e);
      if (bad)
        issues.push({
          loc: ['body', 'entities', i, 'properties', bad.field],
          msg: bad.msg,
          type: 'value_error',
        });
    });
    (b.edges as EdgeItem[]).forEach((e, i) => {
      if (!/^[A-Z][A-Z0-9_]*$/.test(e.rel_type))
        issues.push({
          loc: ['body', 'edges', i, 'rel_type'],
          msg: 'must be UPPER_SNAKE_CASE',
          type: 'value_error',
        });
    });
    return issues.length > 0
      ? { issues }
      : { items: { entities: b.entities as EntityItem[], edges: b.edges as EdgeItem[] } };
  };

  const apply = (tenant: string, batches: Import['items']) => {
    const counts = { created: 0, updated: 0, edges_created: 0, edges_updated: 0 };
    const ents = stored.get(tenant) ?? new Map<string, EntityItem>();
    const edges = storedEdges.get(tenant) ?? new Map<string, EdgeItem>();
    for (const b of batches) {
      for (const e of b.entities) {
        const key = `${e.label}|${e.entity_id}`;
        const prev = ents.get(key);
        if (prev) counts.updated += 1;
        else counts.created += 1;
        ents.set(key, { ...e, properties: { ...prev?.properties, ...e.properties } });
      }
      for (const e of b.edges) {
        const key = `${e.from_label}|${e.from_id}|${e.rel_type}|${e.to_label}|${e.to_id}`;
        if (edges.has(key)) counts.edges_updated += 1;
        else counts.edges_created += 1;
        edges.set(key, e);
      }
    }
    stored.set(tenant, ents);
    storedEdges.set(tenant, edges);
    return counts;
  };

  const handle = fakeServiceHandler(async (req, { tenant, target, send }) => {
    const url = target.pathname;
    const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : undefined;
    const entityPath = /^\/entities\/([^/]+)\/([^/]+)(\/production)?$/.exec(url);
    if (entityPath && (req.method === 'GET' || req.method === 'PUT')) {
      const [label, id] = [decodeURIComponent(entityPath[1]), decodeURIComponent(entityPath[2])];
      const entity = stored.get(tenant)?.get(`${label}|${id}`);
      const view = (e: EntityItem) => ({
        ...e,
        created_at: '2025-01-01T00:00:00.000Z',
        updated_at: '2025-01-01T00:00:00.000Z',
      });
      if (entityPath[3] && (req.method !== 'PUT' || label !== 'Well'))
        return send(405, { detail: 'Method not allowed', code: 'method_not_allowed' });
      if (entityPath[3]) {
        fake.productionRequests += 1;
        if (fake.failProductionFrom !== undefined && fake.productionRequests >= fake.failProductionFrom)
          return send(500, { detail: 'Internal server error', code: 'internal_error' });
        const parsed = productionBodySchema.safeParse(body);
        if (!parsed.success)
          return send(422, {
            detail: parsed.error.issues.map((i) => ({
              loc: ['body', ...i.path.map(String)],
              msg: i.message,
              type: 'value_error',
            })),
            code: 'validation_error',
          });
        if (!entity) return send(404, { detail: 'Not found', code: 'not_found' });
        const production = mergeProduction(entity.properties?.production, parsed.data.records);
        entity.properties = { ...entity.properties, production };
        return send(200, { well: view(entity), production, periods_written: parsed.data.records.length });
      }
      if (!entity) return send(404, { detail: 'Not found', code: 'not_found' });
      if (req.method === 'PUT')
        entity.properties = { ...(body as { properties: Record<string, unknown> }).properties };
      return send(200, view(entity));
    }
    if (req.method === 'POST' && url === '/imports') {
      const id = `imp-${nextId++}`;
      imports.set(id, { id, tenant, status: 'open', items: [] });
      return send(201, { import_id: id });
    }
    if (req.method === 'POST' && url === '/entities/bulk') {
      const v = validate(body);
      if (v.issues) return send(422, { detail: v.issues, code: 'validation_error' });
      return send(200, apply(tenant, [v.items!]));
    }
    const m = /^\/imports\/([^/]+)(\/items|\/commit)?$/.exec(url);
    const imp = m ? imports.get(decodeURIComponent(m[1])) : undefined;
    if (!m || !imp || imp.tenant !== tenant) return send(404, { detail: 'Not found', code: 'not_found' });
    if (req.method === 'POST' && m[2] === '/items') {
      stageCount += 1;
      fake.stageRequests = stageCount;
      inFlight += 1;
      fake.maxConcurrentStages = Math.max(fake.maxConcurrentStages, inFlight);
      try {
        if (fake.stageDelayMs > 0) await new Promise((r) => setTimeout(r, fake.stageDelayMs));
        if (fake.gate) await fake.gate;
        if (fake.failStageFrom !== undefined && stageCount >= fake.failStageFrom)
          return send(500, { detail: 'Internal server error', code: 'internal_error' });
        if (imp.status !== 'open') return send(409, { detail: 'Import is closed', code: 'conflict' });
        const v = validate(body);
        if (v.issues) return send(422, { detail: v.issues, code: 'validation_error' });
        imp.items.push(v.items!);
        return send(200, { staged: v.items!.entities.length + v.items!.edges.length });
      } finally {
        inFlight -= 1;
      }
    }
    if (req.method === 'POST' && m[2] === '/commit') {
      if (imp.status !== 'open') return send(409, { detail: 'Import is closed', code: 'conflict' });
      imp.status = 'committed';
      const counts = apply(tenant, imp.items);
      imp.items = [];
      return send(200, counts);
    }
    if (req.method === 'DELETE' && !m[2]) {
      if (imp.status === 'open') imp.status = 'discarded';
      imp.items = [];
      return send(204);
    }
    return send(405, { detail: 'Method not allowed', code: 'method_not_allowed' });
  });
  const server = await listen(handle, { keepAliveTimeout: 1000 });
  fake.url = server.url;
  fake.close = server.close;
  return fake;
}
