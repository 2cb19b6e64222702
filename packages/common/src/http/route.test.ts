import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pino from 'pino';
import { z } from 'zod';
import { invalidTokenError } from '../auth/claims';
import type { Identity, Role } from '../auth/identity';
import type { TokenVerifier } from '../auth/verifier';
import { NotFoundError } from '../errors';
import { errorHandler } from './error-handler';
import { jsonBody } from './json-body';
import { requestId } from './request-id';
import { openApiProblems } from './openapi-check';
import { createServiceApi, type ServiceApi } from './route';
import { routerMethodErrors } from '../service/app';

const who = (roles: Role[], tenantId = 'acme'): Identity => ({
  userId: `u-${roles.join('-')}-${tenantId}`,
  email: 'x@example.com',
  displayName: null,
  roles,
  tenantId,
  jti: 'j',
  exp: 0,
  iat: 0,
});

/** Tokens are the names of these identities. */
const IDENTITIES: Record<string, Identity> = {
  viewer: who(['viewer']),
  operator: who(['operator']),
  platform: who(['admin', 'platform_admin'], 'default'),
};

const verifier: TokenVerifier = {
  verify: async (token) => {
    const identity = IDENTITIES[token];
    if (!identity) throw invalidTokenError();
    return identity;
  },
  reloadKeys: async () => undefined,
  jwksLoads: 0,
  close: () => undefined,
};

const KINDS = ['bolt', 'nut'] as const;
const thing = z.object({ kind: z.enum(KINDS), id: z.string(), size: z.number() }).meta({ id: 'Thing' });
const thingInput = z.strictObject({ size: z.number().int().min(1).default(1) });

function declare(api: ServiceApi): void {
  api.route({
    method: 'get',
    path: '/things/{kind}/{id}',
    summary: 'Read a thing',
    tags: ['things'],
    roles: ['viewer'],
    params: z.object({ kind: z.enum(KINDS), id: z.string().regex(/^[0-9]+$/) }),
    query: z.object({ verbose: z.enum(['true', 'false']).optional(), note: z.string().optional() }),
    responses: { 200: thing },
    errors: [404],
    handler: (ctx, { params, tenant, identity }) => {
      if (params.id === '0') throw new NotFoundError('No such thing');
      ctx.set('x-tenant', tenant);
      ctx.set('x-user', identity.userId);
      return { kind: params.kind, id: params.id, size: 1 };
    },
  });
  api.route({
    method: 'put',
    path: '/things/{kind}/{id}',
    summary: 'Write a thing',
    roles: ['operator'],
    params: z.object({ kind: z.enum(KINDS), id: z.string() }),
    body: thingInput,
    responses: { 201: thing },
    handler: (_ctx, { params, body }) => ({ ...params, size: body.size }),
  });
  api.route({
    method: 'delete',
    path: '/things/{kind}/{id}',
    summary: 'Delete a thing',
    roles: ['operator'],
    params: z.object({ kind: z.enum(KINDS), id: z.string() }),
    responses: { 204: null },
    handler: () => undefined,
  });
  api.route({
    method: 'post',
    path: '/upload',
    summary: 'Stream a file',
    roles: 'public',
    requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
    responses: { 202: { description: 'Accepted', content: { 'text/event-stream': {} } } },
    errors: [413],
    handler: (ctx) => {
      ctx.type = 'text/event-stream';
      ctx.body = 'data: ok\n\n';
    },
  });
  api.serveDocument({ title: 'things', version: '1' });
}

describe('ServiceApi routes', () => {
  const api = createServiceApi({ verifier });
  declare(api);
  const app = new Koa();
  app.use(requestId());
  app.use(errorHandler({ logger: pino({ level: 'silent' }) }));
  const raw = new Set(api.rawBodyPaths());
  app.use((ctx, next) => (raw.has(ctx.path) ? next() : jsonBody()(ctx, next)));
  app.use(api.router.routes());
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const handle = app.callback();
    server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('answers 401 without a token and for an invalid one, also via the cookie', async () => {
    expect((await call('GET', '/things/bolt/1')).status).toBe(401);
    expect((await call('GET', '/things/bolt/1', 'nobody')).status).toBe(401);
    const viaCookie = await fetch(`${base}/things/bolt/1`, { headers: { cookie: 'aegis_token=viewer' } });
    expect(viaCookie.status).toBe(200);
  });

  it('never takes the identity from gateway headers', async () => {
    const res = await fetch(`${base}/things/bolt/1`, {
      headers: { 'x-aegis-user-id': 'u', 'x-aegis-roles': 'admin', 'x-aegis-tenant-id': 'acme' },
    });
    expect(res.status).toBe(401);
  });

  it('checks roles with requireRole semantics (admin passes, viewer is any role)', async () => {
    expect((await call('GET', '/things/bolt/1', 'operator')).status).toBe(200);
    const denied = await call('PUT', '/things/bolt/1', 'viewer', {});
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'insufficient_role' });
    expect((await call('PUT', '/things/bolt/1', 'platform', {})).status).toBe(201);
  });

  it('sets the typed identity and the tenant, applying the cross-tenant rule', async () => {
    const own = await call('GET', '/things/bolt/1?tenant_id=acme', 'viewer');
    expect(own.headers.get('x-tenant')).toBe('acme');
    expect(own.headers.get('x-user')).toBe(IDENTITIES.viewer.userId);
    const other = await call('GET', '/things/bolt/1?tenant_id=other', 'viewer');
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'cross_tenant' });
    const asAdmin = await call('GET', '/things/bolt/1?tenant_id=other', 'platform');
    expect(asAdmin.headers.get('x-tenant')).toBe('other');
    const malformed = await call('GET', '/things/bolt/1?tenant_id=NOT_A_TENANT', 'platform');
    expect(malformed.status).toBe(422);
  });

  it('validates path, query and body with the loc/msg/type shape', async () => {
    const path = await call('GET', '/things/screw/1', 'viewer');
    expect(path.status).toBe(422);
    expect(((await path.json()) as { detail: { loc: unknown[] }[] }).detail[0].loc).toEqual(['path', 'kind']);
    const query = await call('GET', '/things/bolt/1?verbose=maybe', 'viewer');
    expect(((await query.json()) as { detail: { loc: unknown[] }[] }).detail[0].loc).toEqual([
      'query',
      'verbose',
    ]);
    const body = await call('PUT', '/things/bolt/1', 'operator', { size: 0, extra: 1 });
    expect(body.status).toBe(422);
    const locs = ((await body.json()) as { detail: { loc: unknown[] }[] }).detail.map((d) => d.loc);
    expect(locs).toEqual(expect.arrayContaining([['body', 'size'], ['body']]));
    const missing = await call('PUT', '/things/bolt/1', 'operator');
    expect(await missing.json()).toMatchObject({
      detail: [{ loc: ['body'], msg: 'field required', type: 'missing' }],
    });
  });

  it('answers 422 naming a query parameter that does not percent-decode to UTF-8 text', async () => {
    for (const q of ['verbose=%FF', 'verbose=%ED%A0%80', 'verbose=true&verbose=%E2%82']) {
      const res = await call('GET', `/things/bolt/1?${q}`, 'viewer');
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        code: 'validation_error',
        detail: [{ loc: ['query', 'verbose'], type: 'invalid_encoding' }],
        request_id: expect.any(String),
      });
    }
    expect((await call('GET', '/things/bolt/1?verbose=true&note=100%', 'viewer')).status).toBe(200);
  });

  it('answers the declared success status, and lets handlers throw typed errors', async () => {
    const put = await call('PUT', '/things/nut/7', 'operator', { size: 3 });
    expect(put.status).toBe(201);
    expect(await put.json()).toEqual({ kind: 'nut', id: '7', size: 3 });
    expect((await call('DELETE', '/things/nut/7', 'operator')).status).toBe(204);
    expect((await call('GET', '/things/bolt/0', 'viewer')).status).toBe(404);
  });

  it('leaves streaming routes their own body', async () => {
    const res = await fetch(`${base}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('data: ok\n\n');
  });

  it('refuses a path parameter that params does not declare', () => {
    expect(() =>
      createServiceApi({ verifier }).route({
        method: 'get',
        path: '/x/{id}',
        summary: 'x',
        roles: 'public',
        responses: { 200: null },
        handler: () => undefined,
      }),
    ).toThrow(/params must declare id/);
  });

  it('lists the routes that read their own body, which must have a fixed path', () => {
    expect(api.rawBodyPaths()).toEqual(['/upload']);
    const templated = createServiceApi().route({
      method: 'post',
      path: '/files/{id}',
      summary: 'x',
      roles: 'public',
      params: z.object({ id: z.string() }),
      requestBody: { required: true, content: { 'text/csv': {} } },
      responses: { 204: null },
      handler: () => undefined,
    });
    expect(() => templated.rawBodyPaths()).toThrow(/fixed path: \/files\/\{id\}/);
    expect(templated.rawBodyRoutes()).toEqual(['/files/{id}']);
  });
});

describe('ServiceApi.document', () => {
  const api = createServiceApi({ verifier });
  declare(api);
  type Op = {
    parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
    requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
    responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
    security: Record<string, string[]>[];
  };
  const doc = api.document({ title: 'things', version: '1' }) as {
    openapi: string;
    paths: Record<string, Record<string, Op>>;
    components: {
      schemas: Record<string, Record<string, unknown>>;
      securitySchemes: Record<string, unknown>;
    };
  };
  const op = (path: string, method: string) => doc.paths[path][method];

  it('lists every registered route, including the document itself', () => {
    expect(doc.openapi).toBe('3.1.0');
    const registered = api.router.stack.flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${layer.path}`),
    );
    const documented = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item).map((m) => `${m} ${p.replace(/\{([^}]+)\}/g, ':$1')}`),
    );
    expect(documented.sort()).toEqual(registered.sort());
    expect(doc.paths['/openapi.json']).toBeDefined();
  });

  it('gives path parameters their enums and patterns, and marks them required', () => {
    const params = op('/things/{kind}/{id}', 'get').parameters ?? [];
    expect(params).toEqual(
      expect.arrayContaining([
        { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['bolt', 'nut'] } },
        expect.objectContaining({
          name: 'id',
          in: 'path',
          required: true,
          schema: expect.objectContaining({ pattern: '^[0-9]+$' }),
        }),
        expect.objectContaining({ name: 'verbose', in: 'query', required: false }),
        expect.objectContaining({ name: 'tenant_id', in: 'query', required: false }),
      ]),
    );
  });

  it('marks a required body and shows unknown-key rejection', () => {
    const body = op('/things/{kind}/{id}', 'put').requestBody;
    expect(body?.required).toBe(true);
    expect(body?.content['application/json'].schema).toMatchObject({ additionalProperties: false });
    expect(op('/upload', 'post').requestBody).toMatchObject({ required: true, content: { 'text/csv': {} } });
  });

  it('documents error responses with the shared error schema', () => {
    const responses = op('/things/{kind}/{id}', 'put').responses;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '403', '413', '415', '422']);
    expect(responses['403'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(Object.keys(op('/things/{kind}/{id}', 'get').responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '422']),
    );
    expect(doc.components.schemas.Error).toMatchObject({ required: ['detail', 'code'] });
    expect(op('/things/{kind}/{id}', 'delete').responses['204']).toEqual({ description: 'No content' });
  });

  it('puts schemas with an id in components and refers to them', () => {
    expect(op('/things/{kind}/{id}', 'get').responses['200'].content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Thing',
    });
    expect(doc.components.schemas.Thing).toMatchObject({ additionalProperties: false });
  });

  it('prefixes operation ids with the service, so they stay unique once documents are merged', () => {
    const named = api.document({ title: 'things', version: '1', service: 'parts-store' }) as typeof doc;
    expect(named.paths['/things/{kind}/{id}'].get).toMatchObject({
      operationId: 'parts_store_get_things_kind_id',
    });
  });

  it('names only declared security schemes; public routes need none', () => {
    const declared = Object.keys(doc.components.securitySchemes);
    for (const item of Object.values(doc.paths))
      for (const o of Object.values(item))
        for (const requirement of o.security)
          for (const name of Object.keys(requirement)) expect(declared).toContain(name);
    expect(op('/upload', 'post').security).toEqual([]);
  });
});

describe('openApiProblems', () => {
  it('finds nothing wrong with a generated document', () => {
    const api = createServiceApi({ verifier });
    declare(api);
    expect(openApiProblems(api.document({ title: 't', version: '1' }))).toEqual([]);
  });

  it('reports unresolved refs, undeclared schemes and undeclared path parameters', () => {
    const problems = openApiProblems({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/a/{id}': {
          get: {
            security: [{ bearer: [] }],
            responses: {
              200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } },
            },
          },
        },
      },
      components: {},
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unresolved $ref'),
        expect.stringContaining('undeclared scheme bearer'),
        expect.stringContaining('path parameter id is not declared'),
        expect.stringContaining('documents no error response'),
      ]),
    );
    const twice = { responses: { 200: {} }, operationId: 'same' };
    expect(
      openApiProblems({
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: { '/a': { get: twice, put: twice } },
      }),
    ).toEqual([expect.stringContaining('operationId same is not unique')]);
  });

  it('refuses to document a router that has routes added outside route()', () => {
    const api = createServiceApi({ verifier });
    api.router.get('/hidden', (ctx) => {
      ctx.body = {};
    });
    expect(() => api.document({ title: 't', version: '1' })).toThrow(/GET \/hidden/);
  });
});

describe('checkResponses', () => {
  const api = createServiceApi({ verifier, checkResponses: true });
  api.route({
    method: 'get',
    path: '/shape/{which}',
    summary: 'Answers good and bad shapes',
    roles: 'public',
    params: z.object({ which: z.enum(['good', 'extra', 'wrong', 'status']) }),
    responses: { 200: z.object({ a: z.number() }) },
    handler: (ctx, { params }) => {
      if (params.which === 'status') ctx.status = 202;
      if (params.which === 'extra') return { a: 1, b: 2 };
      if (params.which === 'wrong') return { a: 'x' };
      return { a: 1 };
    },
  });
  const app = new Koa();
  app.use(errorHandler({ logger: pino({ level: 'silent' }) }));
  app.use(api.router.routes());
  const call = async (which: string) => {
    const handle = app.callback();
    const server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/shape/${which}`))
        .status;
    } finally {
      await new Promise((r) => server.close(r));
    }
  };

  it('lets a conforming answer through and turns undocumented keys, wrong types and statuses into a 500', async () => {
    expect(await call('good')).toBe(200);
    expect(await call('extra')).toBe(500);
    expect(await call('wrong')).toBe(500);
    expect(await call('status')).toBe(500);
  });
});

describe('ServiceApi: public routes that read the token themselves, and OPTIONS', () => {
  const api = createServiceApi({ verifier });
  for (const authenticates of ['required', 'optional'] as const)
    api.route({
      method: 'post',
      path: `/self/${authenticates}`,
      summary: 'Reads the token itself',
      roles: 'public',
      authenticates,
      responses: { 200: null },
      handler: () => undefined,
    });
  api.route({
    method: 'options',
    path: '/self/required',
    summary: 'Any method',
    roles: 'any',
    responses: { 200: null },
    handler: () => undefined,
  });
  type Op = { security: Record<string, string[]>[]; responses: Record<string, unknown> };
  const paths = (api.document({ title: 't', version: '1' }) as { paths: Record<string, Record<string, Op>> })
    .paths;

  it('documents the token schemes and a 401, optional ones with an anonymous alternative', () => {
    expect(paths['/self/required'].post.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(paths['/self/optional'].post.security).toEqual([{}, { bearer: [] }, { cookie: [] }]);
    for (const p of ['/self/required', '/self/optional'])
      expect(Object.keys(paths[p].post.responses)).toEqual(['200', '401']);
  });

  it('registers and documents OPTIONS', () => {
    expect(paths['/self/required'].options).toBeDefined();
    expect(api.router.stack.some((l) => l.methods.includes('OPTIONS'))).toBe(true);
  });
});

describe('ServiceApi: methods a path lacks', () => {
  const api = createServiceApi({ verifier });
  declare(api);
  const app = new Koa();
  app.use(requestId());
  app.use(errorHandler({ logger: pino({ level: 'silent' }) }));
  app.use(api.router.routes());
  app.use(api.router.allowedMethods(routerMethodErrors));
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    const handle = app.callback();
    server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  /** fetch refuses TRACE, so these go through node:http. */
  const send = (method: string, path: string) =>
    new Promise<{ status?: number; allow?: string; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode, allow: res.headers.allow, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it.each(['TRACE', 'QUERY', 'PROPFIND', 'POST'])(
    'answers %s with 405, the path’s Allow and the error shape (not 501)',
    async (method) => {
      const res = await send(method, '/things/bolt/1');
      expect(res.status).toBe(405);
      expect(res.allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PUT']);
      expect(JSON.parse(res.body)).toEqual({
        detail: 'Method not allowed',
        code: 'method_not_allowed',
        request_id: expect.any(String),
      });
    },
  );

  it('still answers 404 for an unknown path, whatever the method', async () => {
    expect((await send('TRACE', '/nowhere')).status).toBe(404);
  });
});
