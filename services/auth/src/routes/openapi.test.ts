import { createServiceApi, openApiDocument, type ServiceApi } from '@aegis/common';
import { startTestAuth, type TestAuth } from '@aegis/testing/auth';
import { authRoutes, OPENAPI_INFO } from '.';

type Operation = {
  security: Record<string, string[]>[];
  requestBody?: { required: boolean };
  responses: Record<string, unknown>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
};

describe('auth OpenAPI document', () => {
  let auth: TestAuth;
  let served: Document;
  let api: ServiceApi;

  beforeAll(async () => {
    auth = await startTestAuth();
    api = createServiceApi({ verifier: auth.core.verifier });
    authRoutes(api, {
      accounts: auth.core.accounts,
      verifier: auth.core.verifier,
      keyRing: auth.core.keyRing,
      store: auth.core.store,
      tenantStates: auth.core.tenantStates,
      tokenTtlSec: 3600,
      cookie: { secure: false },
      now: Date.now,
    });
    served = (await (await auth.fetch('/openapi.json')).json()) as Document;
  });

  afterAll(() => auth.close());

  it('is generated from the routes the service serves', () => {
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument(OPENAPI_INFO, api.operations))));
  });

  it('documents every route registered on the router', () => {
    const registered = api.router.stack.flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${layer.path}`),
    );
    const documented = Object.entries(served.paths).flatMap(([p, item]) =>
      Object.keys(item).map((m) => `${m} ${p.replace(/\{([^}]+)\}/g, ':$1')}`),
    );
    expect(documented.sort()).toEqual(registered.sort());
  });

  it('names the token schemes only where a token is read, and only declared ones', () => {
    const op = (path: string, method: string) => served.paths[path][method];
    expect(op('/auth/token', 'post').security).toEqual([]);
    expect(op('/auth/.well-known/jwks.json', 'get').security).toEqual([]);
    expect(op('/internal/revocations', 'get').security).toEqual([]);
    expect(op('/auth/logout', 'post').security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(op('/auth/validate', 'post').security).toEqual([{}, { bearer: [] }, { cookie: [] }]);
    expect(op('/auth/validate', 'post').requestBody?.required).toBe(false);
    for (const method of ['get', 'post', 'delete', 'options'])
      expect(Object.keys(op('/auth/forward-auth', method).responses)).toEqual(
        expect.arrayContaining(['200', '401']),
      );
    expect(Object.keys(op('/auth/users/{id}', 'patch').responses).sort()).toEqual(
      ['200', '400', '401', '403', '404', '409', '413', '415', '422'].sort(),
    );
    const declared = Object.keys(served.components.securitySchemes);
    for (const item of Object.values(served.paths))
      for (const o of Object.values(item))
        for (const requirement of o.security)
          for (const name of Object.keys(requirement)) expect(declared).toContain(name);
    expect(Object.keys(served.components.schemas)).toEqual(
      expect.arrayContaining(['Error', 'User', 'Token', 'Validation', 'Jwks']),
    );
  });

  it('documents the roles, platform_admin and service among them', () => {
    expect(served.components.schemas.Role).toMatchObject({
      enum: ['admin', 'operator', 'reviewer', 'viewer', 'platform_admin', 'service'],
      description: expect.stringMatching(/platform_admin.*service/s),
    });
  });

  it('documents both grants of POST /auth/token and GET /auth/tenants', () => {
    expect(JSON.stringify(served.paths['/auth/token'].post)).toContain('client_credentials');
    expect(Object.keys(served.paths['/auth/tenants'].get.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403']),
    );
  });
});
