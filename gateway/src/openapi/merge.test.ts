import { OPENAPI_ERROR_SCHEMA, OPENAPI_SECURITY_SCHEMES } from '@aegis/common';
import { RouteTable } from '../routing/route-table';
import { mergeOpenApi, undeclaredSecuritySchemes } from './merge';

const table = new RouteTable([
  { prefix: '/api/v1/auth', service: 'auth' },
  { prefix: '/api/v1/compliance', service: 'orchestration' },
  { prefix: '/api/v1/compliance/deadlines', service: 'compliance-monitor' },
  { prefix: '/api/v2/auth', service: 'auth', stripPrefix: '/api/v2' },
]);

const errorResponse = {
  description: 'error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** The same text in both services, but `User` means a different schema in each. */
const userFound = {
  description: 'user',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
};
const responses = { Error: errorResponse, UserFound: userFound };

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, Record<string, unknown>>;
  'x-aegis-unavailable-services'?: string[];
};

describe('mergeOpenApi', () => {
  const merged = mergeOpenApi(
    [
      {
        service: 'auth',
        doc: {
          paths: {
            '/auth/token': {
              post: {
                summary: 'Log in',
                requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
                responses: { 200: { description: 'ok' }, 401: { $ref: '#/components/responses/Error' } },
              },
            },
            '/auth/me': {
              get: { security: [{ bearer: [] }, { cookie: [] }], responses: { 200: { description: 'ok' } } },
            },
            '/auth/validate': { post: { responses: { 200: { description: 'ok' } } } },
            '/auth/forward-auth': {
              get: { responses: { 200: { description: 'ok' } } },
              options: { responses: { 200: { description: 'ok' } } },
            },
            '/auth/users/{id}': { get: { responses: { 200: { $ref: '#/components/responses/UserFound' } } } },
            '/internal/revocations': { get: {} },
          },
          components: {
            securitySchemes: OPENAPI_SECURITY_SCHEMES,
            responses,
            schemas: {
              Error: OPENAPI_ERROR_SCHEMA,
              User: { type: 'object', properties: { email: { type: 'string' } } },
              Token: { type: 'string' },
            },
          },
        },
      },
      {
        service: 'orchestration',
        doc: {
          // A document-wide requirement, and its own idea of "bearer".
          security: [{ bearer: [] }],
          paths: {
            '/compliance/summary': {
              get: {
                responses: {
                  200: { $ref: '#/components/responses/UserFound' },
                  401: { $ref: '#/components/responses/Error' },
                },
              },
            },
            '/compliance/deadlines': { get: {} },
          },
          components: {
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
            responses,
            schemas: {
              Error: { ...OPENAPI_ERROR_SCHEMA },
              User: { type: 'object', properties: { name: { type: 'string' } } },
            },
          },
        },
      },
    ],
    table.rows,
    table,
    ['knowledge-graph'],
  ) as Doc;
  const op = (path: string, method: string) => merged.paths[path][method];
  const answers = (path: string, method: string) => op(path, method).responses as Record<string, unknown>;

  it('puts every path under each public prefix that routes to its service, and only those', () => {
    expect(Object.keys(merged.paths)).toEqual([
      '/api/v1/auth/forward-auth',
      '/api/v1/auth/me',
      '/api/v1/auth/token',
      '/api/v1/auth/users/{id}',
      '/api/v1/auth/validate',
      '/api/v1/compliance/summary',
      '/api/v2/auth/forward-auth',
      '/api/v2/auth/me',
      '/api/v2/auth/token',
      '/api/v2/auth/users/{id}',
      '/api/v2/auth/validate',
    ]);
    // /compliance/deadlines belongs to compliance-monitor at the gateway; /internal/* is never routed.
    expect(merged.paths['/api/v1/auth/token']['x-aegis-service']).toBe('auth');
  });

  it('leaves out OPTIONS operations, since the gateway answers every OPTIONS itself (CORS)', () => {
    const item = merged.paths['/api/v1/auth/forward-auth'];
    expect(Object.keys(item)).toContain('get');
    expect(Object.keys(item)).not.toContain('options');
  });

  it('groups untagged operations by service', () => {
    expect(op('/api/v1/auth/token', 'post').tags).toEqual(['auth']);
    expect(op('/api/v1/compliance/summary', 'get').tags).toEqual(['orchestration']);
    expect((merged as unknown as { tags: { name: string }[] }).tags.map((t) => t.name)).toEqual([
      'auth',
      'orchestration',
    ]);
  });

  it('declares a component once when every service declares it the same way', () => {
    expect(Object.keys(merged.components.schemas)).toEqual([
      'Error',
      'Token',
      'auth.User',
      'orchestration.User',
    ]);
    expect(merged.components.schemas.Error).toEqual(OPENAPI_ERROR_SCHEMA);
    expect(answers('/api/v1/auth/token', 'post')['401']).toEqual({ $ref: '#/components/responses/Error' });
    expect(merged.components.responses.Error).toEqual(errorResponse);
  });

  it('prefixes a name two services declare differently, and whatever refers to it, per service', () => {
    expect(merged.components.schemas['auth.User']).toEqual({
      type: 'object',
      properties: { email: { type: 'string' } },
    });
    // The same text refers to different schemas, so the responses are split too.
    expect(merged.components.responses['auth.UserFound']).toEqual({
      description: 'user',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/auth.User' } } },
    });
    expect(answers('/api/v1/auth/users/{id}', 'get')['200']).toEqual({
      $ref: '#/components/responses/auth.UserFound',
    });
    expect(answers('/api/v1/compliance/summary', 'get')['200']).toEqual({
      $ref: '#/components/responses/orchestration.UserFound',
    });
    expect(merged.components.responses.UserFound).toBeUndefined();
  });

  it('names only declared security schemes: shared ones once, a differing one per service', () => {
    expect(undeclaredSecuritySchemes(merged)).toEqual([]);
    expect(Object.keys(merged.components.securitySchemes)).toEqual([
      'bearer',
      'cookie',
      'orchestration.bearer',
    ]);
    expect(op('/api/v1/auth/me', 'get').security).toEqual([{ bearer: [] }, { cookie: [] }]);
    // orchestration's document-wide requirement lands on its operation, renamed.
    expect(op('/api/v1/compliance/summary', 'get').security).toEqual([{ 'orchestration.bearer': [] }]);
  });

  it('requires a token wherever the gateway does, even when the service document says nothing', () => {
    expect(op('/api/v1/auth/validate', 'post').security).toEqual([{ bearer: [] }, { cookie: [] }]);
    // Logging in is public at the gateway.
    expect(op('/api/v1/auth/token', 'post').security).toBeUndefined();
  });

  it("lists the gateway's own error answers, keeping a service's own description of a status", () => {
    expect(Object.keys(answers('/api/v1/auth/validate', 'post'))).toEqual(['200', '401', '403', '429']);
    expect(answers('/api/v1/auth/validate', 'post')['401']).toEqual({
      $ref: '#/components/responses/GatewayUnauthorized',
    });
    expect(Object.keys(answers('/api/v1/auth/token', 'post'))).toEqual(['200', '401', '413', '429']);
    expect(Object.keys(answers('/api/v1/auth/users/{id}', 'get'))).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
    ]);
    expect(merged.components.responses.GatewayRateLimited).toMatchObject({
      headers: { 'Retry-After': expect.any(Object) },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
  });

  it('lists the services it could not reach', () => {
    expect(merged['x-aegis-unavailable-services']).toEqual(['knowledge-graph']);
  });
});

describe('mergeOpenApi with route rows restricted to methods', () => {
  const byMethod = new RouteTable([
    { prefix: '/api/v1/compliance', service: 'orchestration' },
    { prefix: '/api/v1/compliance/deadlines', service: 'compliance-monitor', methods: ['POST'] },
  ]);
  const ok = { responses: { 200: { description: 'ok' } } };
  const merged = mergeOpenApi(
    [
      {
        service: 'compliance-monitor',
        doc: { paths: { '/compliance/deadlines': { get: ok, post: { ...ok, summary: 'Alerts' } } } },
      },
      {
        service: 'orchestration',
        doc: {
          paths: {
            '/compliance/deadlines': { get: { ...ok, summary: 'Dashboard list' }, post: ok },
            '/compliance/summary': { get: ok },
          },
        },
      },
    ],
    byMethod.rows,
    byMethod,
  ) as Doc;

  it('documents each method of a path from the service the gateway sends that method to', () => {
    const item = merged.paths['/api/v1/compliance/deadlines'];
    expect(
      Object.keys(item)
        .filter((k) => !k.startsWith('x-'))
        .sort(),
    ).toEqual(['get', 'post']);
    expect(item.get).toMatchObject({ summary: 'Dashboard list', 'x-aegis-service': 'orchestration' });
    expect(item.post).toMatchObject({ summary: 'Alerts', 'x-aegis-service': 'compliance-monitor' });
    // Two services share the path: only the operations name theirs.
    expect(item['x-aegis-service']).toBeUndefined();
    expect(merged.paths['/api/v1/compliance/summary']['x-aegis-service']).toBe('orchestration');
  });
});

describe('undeclaredSecuritySchemes', () => {
  it('names the schemes that requirements use but components do not declare', () => {
    expect(
      undeclaredSecuritySchemes({
        security: [{ apiKey: [] }],
        components: { securitySchemes: { bearer: {} } },
        paths: { '/a': { get: { security: [{ bearer: [] }, { cookie: [] }] } } },
      }),
    ).toEqual(['apiKey', 'cookie']);
  });
});
