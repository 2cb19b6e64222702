/**
 * A typed HTTP client of the knowledge graph: import sessions (stage batches, then one commit applies
 * them all), one bulk request for small sets, and the reads other services need (an entity, a query
 * template). Every call forwards the caller's bearer token, so the graph scopes by the same tenant and
 * checks the same role. Failures are the platform's typed errors: a timeout or an unreachable graph is
 * an UpstreamTimeoutError/UpstreamError, 401/403 keep their status, 409 is a ConflictError.
 */
import {
  AppError,
  ConflictError,
  missingTokenError,
  requestToken,
  UpstreamError,
  type GraphClientSettings,
  type Logger,
  type ValidationIssue,
} from '@aegis/common';
import { callerRequest, detailOf, refusedFor, type GraphCaller, type JsonReply } from './http';
import {
  type CommitCounts,
  type EdgeView,
  edgeViewSchema,
  type EntityView,
  entityViewSchema,
  type GraphItems,
} from './items';
import type { Label } from './labels';
import type { ProductionRecord } from './production';
import { z } from 'zod';

const listOf = <T>(item: z.ZodType<T>) => z.object({ data: z.array(item), total: z.number() });

export type StageResult = { ok: true } | { ok: false; issues: ValidationIssue[] };

/** What `PUT /entities/Well/{id}/production` did: the well's production after the merge, no such
 * well, or the records refused (422, nothing written). */
export type ProductionResult =
  | { status: 'written'; production: Record<string, unknown>[] }
  | { status: 'not_found' }
  | { status: 'rejected'; issues: ValidationIssue[] };

export type { GraphCaller };

export interface KnowledgeGraphClient {
  createImport(caller: GraphCaller): Promise<string>;
  stage(caller: GraphCaller, importId: string, items: GraphItems): Promise<StageResult>;
  commit(caller: GraphCaller, importId: string): Promise<CommitCounts>;
  discard(caller: GraphCaller, importId: string): Promise<void>;
  bulk(caller: GraphCaller, items: GraphItems): Promise<CommitCounts | { rejected: ValidationIssue[] }>;
  /** GET /entities/{label}/{id}; undefined when the tenant has no such entity. */
  getEntity(caller: GraphCaller, label: Label, entityId: string): Promise<EntityView | undefined>;
  /** POST /query: the rows of a whitelisted query template. */
  query(caller: GraphCaller, templateId: string, params: Record<string, unknown>): Promise<unknown[]>;
  /** GET /entities/{label}, every page: all the tenant's entities of a label. */
  listEntities(caller: GraphCaller, label: Label): Promise<EntityView[]>;
  /** GET /edges/{label}/{id}, every page: the edges of an entity (both directions unless told);
   * an empty list when the tenant has no such entity. */
  edgesOf(
    caller: GraphCaller,
    label: Label,
    entityId: string,
    filter?: { direction?: 'in' | 'out' | 'both'; relType?: string },
  ): Promise<EdgeView[]>;
  /** PUT /entities/Well/{id}/production: monthly records merged by period into the well's production
   * (at most MAX_PRODUCTION_RECORDS per call), in one transaction of the graph. */
  putProduction(caller: GraphCaller, wellId: string, records: ProductionRecord[]): Promise<ProductionResult>;
  /** PUT /entities/{label}/{id}: replaces an entity's properties; undefined when there is no such
   * entity. */
  replaceProperties(
    caller: GraphCaller,
    label: Label,
    entityId: string,
    properties: Record<string, unknown>,
  ): Promise<EntityView | undefined>;
}

/** The largest page the graph's list endpoints serve (spec §6). */
const PAGE_SIZE = 100;

export interface KnowledgeGraphClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Commits apply a whole file in one transaction: they get longer. */
  commitTimeoutMs: number;
  logger?: Logger;
  /** Tests inject a fetch; production uses the global one (keep-alive pooled). */
  fetch?: typeof fetch;
}

/** The client of a running service, from its `graphClientSettings` (commits get `kgCommitTimeoutMs`
 * when the service has one, else the same timeout as other requests). */
export function knowledgeGraphClientOf(
  settings: GraphClientSettings & { kgCommitTimeoutMs?: number },
  logger?: Logger,
): KnowledgeGraphClient {
  return createKnowledgeGraphClient({
    baseUrl: settings.knowledgeGraphUrl,
    timeoutMs: settings.kgTimeoutMs,
    commitTimeoutMs: settings.kgCommitTimeoutMs ?? settings.kgTimeoutMs,
    logger,
  });
}

type Reply = JsonReply;

const KNOWLEDGE_GRAPH = { name: 'knowledge graph', code: 'knowledge_graph' };

const countsOf = (body: unknown): CommitCounts => {
  const b = (body ?? {}) as Partial<Record<keyof CommitCounts, unknown>>;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    created: n(b.created),
    updated: n(b.updated),
    edges_created: n(b.edges_created),
    edges_updated: n(b.edges_updated),
  };
};

export function createKnowledgeGraphClient(options: KnowledgeGraphClientOptions): KnowledgeGraphClient {
  const call = callerRequest({ ...options, upstream: KNOWLEDGE_GRAPH });

  /** Statuses other than the expected ones: auth problems keep their status (the caller's token),
   * anything else is the graph failing. */
  const unexpected = (reply: Reply, what: string): AppError => {
    const refused = refusedFor(reply, KNOWLEDGE_GRAPH);
    if (refused) return refused;
    const detail = detailOf(reply.body);
    if (reply.status === 409)
      return new ConflictError(`The knowledge graph refused to ${what}: ${String(detail)}`);
    options.logger?.error({ status: reply.status, detail, what }, 'Knowledge graph answered unexpectedly');
    return new UpstreamError(
      `The knowledge graph failed to ${what} (status ${reply.status})`,
      'knowledge_graph_error',
    );
  };

  const issuesOf = (reply: Reply): ValidationIssue[] | undefined => {
    const detail = detailOf(reply.body);
    return reply.status === 422 && Array.isArray(detail) ? (detail as ValidationIssue[]) : undefined;
  };

  /** Every page of a list endpoint (`path` ends with `?` or `&`); a 404 is an empty list when allowed. */
  const pages = async <T>(
    path: string,
    caller: GraphCaller,
    schema: z.ZodType<T>,
    what: string,
    missingIsEmpty = false,
  ): Promise<T[]> => {
    const all: T[] = [];
    for (let page = 1; ; page += 1) {
      const reply = await call('GET', `${path}page=${page}&page_size=${PAGE_SIZE}`, caller, undefined);
      if (reply.status === 404 && missingIsEmpty) return all;
      const body = reply.status === 200 ? listOf(schema).safeParse(reply.body) : undefined;
      if (!body?.success) throw unexpected(reply, what);
      all.push(...body.data.data);
      if (body.data.data.length < PAGE_SIZE || all.length >= body.data.total) return all;
    }
  };

  return {
    async createImport(caller) {
      const reply = await call('POST', '/imports', caller, {});
      const id = (reply.body as { import_id?: unknown } | undefined)?.import_id;
      if (reply.status !== 201 && reply.status !== 200) throw unexpected(reply, 'open an import');
      if (typeof id !== 'string') throw unexpected({ status: 502, body: undefined }, 'open an import');
      return id;
    },
    async stage(caller, importId, items) {
      const reply = await call('POST', `/imports/${encodeURIComponent(importId)}/items`, caller, items);
      if (reply.status === 200 || reply.status === 201) return { ok: true };
      const issues = issuesOf(reply);
      if (issues) return { ok: false, issues };
      throw unexpected(reply, 'stage items');
    },
    async commit(caller, importId) {
      const reply = await call(
        'POST',
        `/imports/${encodeURIComponent(importId)}/commit`,
        caller,
        undefined,
        options.commitTimeoutMs,
      );
      if (reply.status === 200 || reply.status === 201) return countsOf(reply.body);
      throw unexpected(reply, 'commit the import');
    },
    async discard(caller, importId) {
      const reply = await call('DELETE', `/imports/${encodeURIComponent(importId)}`, caller, undefined);
      // 404: already gone (purged, or never staged); 409: already committed or discarded.
      if (reply.status === 204 || reply.status === 200 || reply.status === 404) return;
      throw unexpected(reply, 'discard the import');
    },
    async bulk(caller, items) {
      const reply = await call('POST', '/entities/bulk', caller, items, options.commitTimeoutMs);
      if (reply.status === 200 || reply.status === 201) return countsOf(reply.body);
      const issues = issuesOf(reply);
      if (issues) return { rejected: issues };
      throw unexpected(reply, 'store the records');
    },
    async getEntity(caller, label, entityId) {
      const path = `/entities/${encodeURIComponent(label)}/${encodeURIComponent(entityId)}`;
      const reply = await call('GET', path, caller, undefined);
      if (reply.status === 404) return undefined;
      const entity = reply.status === 200 ? entityViewSchema.safeParse(reply.body) : undefined;
      if (!entity?.success) throw unexpected(reply, 'read the entity');
      return entity.data;
    },
    async query(caller, templateId, params) {
      const reply = await call('POST', '/query', caller, { template_id: templateId, params });
      const data = (reply.body as { data?: unknown } | undefined)?.data;
      if (reply.status === 200 && Array.isArray(data)) return data;
      if (reply.status === 404 || reply.status === 422) {
        // An unknown template or bad parameters: the caller's mistake, passed on as the graph said it.
        const code = (reply.body as { code?: unknown } | undefined)?.code;
        throw new AppError(
          reply.status,
          typeof code === 'string' ? code : 'validation_error',
          `The knowledge graph refused query ${templateId}: ${JSON.stringify(detailOf(reply.body))}`,
        );
      }
      throw unexpected(reply, 'run the query');
    },
    async listEntities(caller, label) {
      return pages(`/entities/${encodeURIComponent(label)}?`, caller, entityViewSchema, 'list the entities');
    },
    async edgesOf(caller, label, entityId, filter = {}) {
      const q = new URLSearchParams({ direction: filter.direction ?? 'both' });
      if (filter.relType) q.set('rel_type', filter.relType);
      const path = `/edges/${encodeURIComponent(label)}/${encodeURIComponent(entityId)}?${q.toString()}&`;
      return pages(path, caller, edgeViewSchema, 'list the edges', true);
    },
    async putProduction(caller, wellId, records) {
      const path = `/entities/Well/${encodeURIComponent(wellId)}/production`;
      const reply = await call('PUT', path, caller, { records });
      if (reply.status === 404) return { status: 'not_found' };
      const issues = issuesOf(reply);
      if (issues) return { status: 'rejected', issues };
      const production = (reply.body as { production?: unknown } | undefined)?.production;
      if (reply.status === 200 && Array.isArray(production))
        return { status: 'written', production: production as Record<string, unknown>[] };
      throw unexpected(reply, 'write the production');
    },
    async replaceProperties(caller, label, entityId, properties) {
      const path = `/entities/${encodeURIComponent(label)}/${encodeURIComponent(entityId)}`;
      const reply = await call('PUT', path, caller, { properties });
      if (reply.status === 404) return undefined;
      const entity = reply.status === 200 ? entityViewSchema.safeParse(reply.body) : undefined;
      if (!entity?.success) throw unexpected(reply, 'replace the entity');
      return entity.data;
    },
  };
}

/** Whom a request's graph reads are for: the request's token (already verified by `authorize`),
 * forwarded so the graph authorises the same way, and the tenant `authorize` resolved. */
export function graphCaller(ctx: Parameters<typeof requestToken>[0], tenant: string): GraphCaller {
  const token = requestToken(ctx);
  if (token === undefined) throw missingTokenError();
  return { token, tenantId: tenant };
}
