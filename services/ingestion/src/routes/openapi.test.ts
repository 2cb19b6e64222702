import {
  createLogger,
  createServiceApi,
  createTokenVerifier,
  openApiDocument,
  type ServiceApi,
  type TokenVerifier,
} from '@aegis/common';
import { createIngestion } from '../ingest/service';
import { createKnowledgeGraphClient } from '../kg/client';
import { startTestIngestion, type TestIngestion } from '../testing';
import { ingestionRoutes, OPENAPI_INFO } from '.';

type Operation = {
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
};

describe('ingestion OpenAPI document', () => {
  let svc: TestIngestion;
  let served: Document;
  let api: ServiceApi;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    svc = await startTestIngestion();
    const logger = createLogger({ service: 'ingestion-test', level: 'silent' });
    verifier = createTokenVerifier({ jwksUrl: svc.issuer.jwksUrl });
    api = createServiceApi({ verifier });
    const kg = createKnowledgeGraphClient({
      baseUrl: svc.kg.url,
      timeoutMs: 1000,
      commitTimeoutMs: 1000,
      logger,
    });
    ingestionRoutes(api, {
      store: svc.store,
      ingestion: createIngestion({
        kg,
        logger,
        limits: { maxErrors: 10, batchMaxItems: 10, maxRecordBytes: 1024 },
      }),
      jobs: { store: svc.store, logger, now: Date.now },
      maxUploadBytes: 1024,
      samplesDir: '/nonexistent',
      maxRecordsPerRequest: 10_000,
    });
    served = (await (await fetch(`${svc.url}/openapi.json`)).json()) as Document;
  });

  afterAll(async () => {
    verifier.close();
    await svc.close();
  });

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

  it('describes the streamed upload and the job that rides along with errors', () => {
    const upload = served.paths['/ingest/operator/csv'].post;
    expect(upload.requestBody?.required).toBe(true);
    expect(Object.keys(upload.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
    expect(upload.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'data_type',
          in: 'query',
          schema: expect.objectContaining({ enum: expect.any(Array) }),
        }),
      ]),
    );
    const ref = (status: string) => upload.responses[status].content?.['application/json'].schema.$ref;
    expect(ref('201')).toBe('#/components/schemas/Job');
    for (const status of ['400', '401', '403', '413', '415', '422', '502'])
      expect(ref(status)).toBe('#/components/schemas/JobError');
    const list = served.paths['/ingest/jobs'].get;
    expect(list.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['page', 'sort_by', 'status', 'kind', 'from', 'to', 'tenant_id']),
    );
    const declared = Object.keys(served.components.securitySchemes);
    for (const item of Object.values(served.paths))
      for (const o of Object.values(item))
        for (const requirement of o.security)
          for (const name of Object.keys(requirement)) expect(declared).toContain(name);
  });
});
