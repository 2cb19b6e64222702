import { METHODS } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { Router, type RouterContext, type RouterMiddleware } from '@koa/router';
import { z } from 'zod';
import type { Identity } from '../auth/identity';
import type { TokenVerifier } from '../auth/verifier';
import { authorize, type Access } from './authorize';
import { checkQueryParameters, queryRules } from './list';
import type { ErrorStatus } from './openapi';
import { openApiDocument, type OpenApiInfo } from './openapi-document';
import type { ServiceState } from './state';
import { parseWith, refuseUndecodableQuery } from './validation';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

/** A response the route reads or writes itself (a stream, another media type): described, not
 * generated. `content` is an OpenAPI content map; its schemas may be zod schemas. */
export interface CustomResponse {
  description: string;
  content?: Record<string, { schema?: z.ZodType | Record<string, unknown> }>;
  headers?: Record<string, unknown>;
}

/** A response: the zod schema of its JSON body, `null` when it has no body, or a custom description. */
export type ResponseSpec = z.ZodType | null | CustomResponse;

/** A request body the route reads itself (multipart upload, a raw stream): documented, not parsed. */
export interface CustomRequestBody {
  description?: string;
  required: boolean;
  content: Record<string, { schema?: z.ZodType | Record<string, unknown>; encoding?: unknown }>;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives besides `ctx`: its validated inputs, and for authorized routes the
 * verified caller and the tenant the request acts on. */
export type RouteInput<P, Q, B, A extends Access> = {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
} & (A extends 'public'
  ? { identity?: undefined; tenant?: undefined }
  : { identity: Identity; tenant: string });

export type RouteContext = RouterContext<ServiceState>;

export interface RouteSpec<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  A extends Access = Access,
> {
  method: HttpMethod;
  /** OpenAPI form: `/entities/{label}/{entity_id}`; every `{name}` must be a key of `params`. */
  path: string;
  summary: string;
  description?: string;
  tags?: readonly string[];
  operationId?: string;
  /** Roles of which the caller needs one (`requireRole` semantics), `'any'` valid token, or `'public'`. */
  roles: A;
  /** For a `'public'` route whose handler reads the caller's token itself (logout, validate): the
   * document names the token schemes, `'required'` or `'optional'` (anonymous calls allowed), and 401. */
  authenticates?: 'required' | 'optional';
  /** Path parameters (a zod object; enums and patterns show in the document). 422 `loc: ['path', …]`. */
  params?: P;
  /** Query parameters (a zod object). `tenant_id` is handled by `authorize` and need not be declared. */
  query?: Q;
  /** The JSON body; required unless the schema accepts `undefined`. 422 `loc: ['body', …]`. */
  body?: B;
  /** Instead of `body`: a body the handler reads itself. */
  requestBody?: CustomRequestBody;
  /** Status → body. The lowest 2xx is set before the handler runs; a handler may set another. */
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Error statuses the handler itself can answer. 401/403 (authorized routes), 422 (declared
   * inputs) and 400/413/415 (JSON bodies) are added. */
  errors?: readonly ErrorStatus[];
  /** Returns the response body (or sets `ctx.body` itself and returns undefined). */
  handler: (ctx: RouteContext, input: RouteInput<P, Q, B, A>) => unknown;
}

/** A registered route, as the document generator sees it. */
export type Operation = RouteSpec<
  z.ZodType | undefined,
  z.ZodType | undefined,
  z.ZodType | undefined,
  Access
>;

const PARAM = /\{([^}]+)\}/g;

/** `/entities/{label}/{id}` → `/entities/:label/:id` (the router's syntax). */
export function routerPath(path: string): string {
  return path.replace(PARAM, ':$1');
}

export function pathParamNames(path: string): string[] {
  return [...path.matchAll(PARAM)].map((m) => m[1]);
}

function declaredKeys(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return Object.keys(json.properties ?? {});
}

function successStatus(responses: Readonly<Record<number, ResponseSpec>>): number | undefined {
  const ok = Object.keys(responses)
    .map(Number)
    .filter((s) => s >= 200 && s < 300)
    .sort((a, b) => a - b);
  return ok[0];
}

export interface ServiceApiOptions {
  /** Verifies tokens for every route that is not public. */
  verifier?: TokenVerifier;
  /** Tests: check every answer against its declared response (a mismatch becomes a 500 naming it). */
  checkResponses?: boolean;
}

/** Throws when a JSON answer is not exactly what its declared response schema describes: a status
 * that is not declared, a body the schema refuses, or keys the schema would not document. */
export function checkResponse(op: Operation, status: number, body: unknown): void {
  const where = `${op.method.toUpperCase()} ${op.path} answered ${status}`;
  if (!(status in op.responses)) throw new Error(`${where}, which it does not declare`);
  const spec = op.responses[status];
  if (spec === null) {
    if (body !== null && body !== undefined) throw new Error(`${where} with a body it declares none for`);
    return;
  }
  if (!(spec instanceof z.ZodType)) return;
  const sent: unknown = JSON.parse(JSON.stringify(body ?? null));
  const parsed = spec.safeParse(sent);
  if (!parsed.success) throw new Error(`${where} with a body its schema refuses: ${parsed.error.message}`);
  if (!isDeepStrictEqual(parsed.data, sent))
    throw new Error(`${where} with keys its schema does not document: ${JSON.stringify(sent).slice(0, 500)}`);
}

/**
 * The routes of one service, declared with their schemas: `route()` registers a handler on `router`
 * behind `authorize` and request validation, and `document()` generates the OpenAPI 3.1 document
 * from the same declarations, so the two cannot drift.
 */
export class ServiceApi {
  /** Every method Node parses counts as known, so a method a path lacks (TRACE, QUERY, ...) gets 405
   * with the path's `Allow` from `allowedMethods`, not 501 (which @koa/router answers for a method
   * outside its list). */
  readonly router = new Router<ServiceState>({ methods: [...METHODS] });
  readonly operations: Operation[] = [];
  private readonly verifier?: TokenVerifier;
  private readonly checkResponses: boolean;

  constructor(options: ServiceApiOptions = {}) {
    this.verifier = options.verifier;
    this.checkResponses = options.checkResponses ?? false;
  }

  route<
    P extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    const A extends Access = Access,
  >(spec: RouteSpec<P, Q, B, A>): this {
    const op = spec as unknown as Operation;
    const names = pathParamNames(op.path);
    const declared = declaredKeys(op.params);
    const missing = names.filter((n) => !declared.includes(n));
    if (missing.length > 0)
      throw new Error(`${op.method} ${op.path}: params must declare ${missing.join(', ')}`);
    if (op.body && op.requestBody)
      throw new Error(`${op.method} ${op.path}: give body or requestBody, not both`);
    const queryKeys = declaredKeys(op.query);
    const passTenant = queryKeys.includes('tenant_id');
    const rules = op.query ? queryRules(op.query) : undefined;
    const status = successStatus(op.responses);
    const check = this.checkResponses;

    const middleware: RouterMiddleware<ServiceState>[] = [];
    if (op.roles !== 'public') {
      if (!this.verifier) throw new Error(`${op.method} ${op.path}: an authorized route needs a verifier`);
      middleware.push(authorize({ verifier: this.verifier, roles: op.roles }));
    }
    middleware.push(async function routeHandler(ctx) {
      const params = op.params ? parseWith(op.params, ctx.params, 'path') : undefined;
      let query: unknown;
      if (op.query) {
        refuseUndecodableQuery(ctx.querystring);
        const raw: Record<string, unknown> = { ...ctx.query };
        if (!passTenant) delete raw.tenant_id;
        checkQueryParameters(raw, rules!);
        query = parseWith(op.query, raw, 'query');
      }
      const body = op.body ? parseWith(op.body, (ctx.request as { body?: unknown }).body, 'body') : undefined;
      if (status !== undefined) ctx.status = status;
      const result: unknown = await op.handler(ctx, {
        params,
        query,
        body,
        identity: ctx.state.identity,
        tenant: ctx.state.tenant,
      } as never);
      if (result !== undefined) ctx.body = result;
      if (check) checkResponse(op, ctx.status, ctx.body);
    });
    this.router.register(routerPath(op.path), [op.method.toUpperCase()], middleware);
    this.operations.push(op);
    return this;
  }

  /** The same API with defaults for a group of routes (a route file): its OpenAPI `tags`. */
  group(defaults: { tags: readonly string[] }): RouteGroup {
    return {
      route: (spec) => {
        this.route({ ...spec, tags: spec.tags ?? defaults.tags });
      },
    };
  }

  /** Routes on `router` that were not declared through `route()` (and so are not documented). */
  undeclared(): string[] {
    const declared = new Set(
      this.operations.map((op) => `${op.method.toUpperCase()} ${routerPath(op.path)}`),
    );
    return this.router.stack.flatMap((layer) =>
      layer.methods
        .filter((m) => m !== 'HEAD' && !declared.has(`${m} ${String(layer.path)}`))
        .map((m) => `${m} ${String(layer.path)}`),
    );
  }

  /** Paths of the routes that read their own request body (`requestBody`): the JSON body parser
   * leaves them alone (`createServiceApp`'s `rawBodyPaths`). */
  rawBodyPaths(): string[] {
    const raw = this.operations.filter((op) => op.requestBody);
    const templated = raw.filter((op) => pathParamNames(op.path).length > 0);
    if (templated.length > 0)
      throw new Error(`A route reading its own body must have a fixed path: ${templated[0].path}`);
    return raw.map((op) => op.path);
  }

  /** Paths of every route that reads its own request body, path templates (`/files/{id}/parts`)
   * included: `createServiceApp`'s `rawBodyPaths` matches a template segment by segment. */
  rawBodyRoutes(): string[] {
    return this.operations.filter((op) => op.requestBody).map((op) => op.path);
  }

  /** The OpenAPI 3.1 document of every route registered so far. Throws when a route was added to
   * `router` directly, so a route can never be served without being documented. */
  document(info: OpenApiInfo): Record<string, unknown> {
    const undeclared = this.undeclared();
    if (undeclared.length > 0) throw new Error(`Routes not declared with route(): ${undeclared.join(', ')}`);
    return openApiDocument(info, this.operations);
  }

  /** Serves the generated document (built once, on first request) at each of `paths`. */
  serveDocument(info: OpenApiInfo, paths: readonly string[] = ['/openapi.json']): this {
    let doc: Record<string, unknown> | undefined;
    for (const path of paths) {
      this.route({
        method: 'get',
        path,
        summary: 'This service’s OpenAPI document',
        tags: ['meta'],
        roles: 'public',
        responses: {
          200: {
            description: 'OpenAPI 3.1 document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
        handler: () => (doc ??= this.document(info)),
      });
    }
    return this;
  }
}

/** Routes declared with shared defaults (`ServiceApi.group`). */
export interface RouteGroup {
  route<
    P extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    const A extends Access = Access,
  >(
    spec: RouteSpec<P, Q, B, A>,
  ): void;
}

/** A service's route set; `verifier` checks the tokens of every route that is not public. */
export function createServiceApi(options: ServiceApiOptions = {}): ServiceApi {
  return new ServiceApi(options);
}
