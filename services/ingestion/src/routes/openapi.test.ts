import { createLogger, createServiceApi, createTokenVerifier, openApiDocument } from '@aegis/common';
import { createIngestion } from '../ingest/service';
import { createFlaringMonitorClient } from '../ingest/flaring-client';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import { startTestIngestion } from '@aegis/testing/ingestion';
import { ingestionRoutes, OPENAPI_INFO } from '.';

interface Served {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
        requestBody?: { required: boolean; content: Record<string, unknown> };
        responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
      }
    >
  >;
}

/** The running service's document, and the same routes declared on a fresh ServiceApi (the routes
 * only keep their dependencies at declaration; nothing is called). */
async function declareAndServe() {
  const svc = await startTestIngestion();
  const logger = createLogger({ service: 'ingestion-openapi-test', level: 'silent' });
  const verifier = createTokenVerifier({ jwksUrl: svc.issuer.jwksUrl });
  const api = createServiceApi({ verifier });
  const kg = createKnowledgeGraphClient({
    baseUrl: svc.kg.url,
    timeoutMs: 1000,
    commitTimeoutMs: 1000,
    logger,
  });
  const limits = { maxErrors: 10, batchMaxItems: 10, maxRecordBytes: 1024 };
  ingestionRoutes(api, {
    store: svc.store,
    ingestion: createIngestion({
      kg,
      flaring: createFlaringMonitorClient({ baseUrl: svc.flaring.url, timeoutMs: 1000, logger }),
      logger,
      limits,
    }),
    jobs: { store: svc.store, logger, now: Date.now },
    maxUploadBytes: 1024,
    samplesDir: '/nonexistent',
    maxRecordsPerRequest: 10_000,
  });
  const served = (await (await fetch(`${svc.url}/openapi.json`)).json()) as Served;
  const close = async () => {
    verifier.close();
    await svc.close();
  };
  return { api, served, close };
}

describe('ingestion OpenAPI document', () => {
  let running: Awaited<ReturnType<typeof declareAndServe>>;
  beforeAll(async () => {
    running = await declareAndServe();
  });
  afterAll(() => running.close());

  it('is generated from the routes the service serves', () => {
    const { api, served } = running;
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument(OPENAPI_INFO, api.operations))));
  });

  it('documents every route registered on the router, and nothing else', () => {
    const { api, served } = running;
    let routed = 0;
    for (const layer of api.router.stack) {
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      for (const method of layer.methods.filter((m) => m !== 'HEAD')) {
        routed += 1;
        expect([path, served.paths[path]?.[method.toLowerCase()]?.operationId]).toEqual([
          path,
          expect.any(String),
        ]);
      }
    }
    expect(Object.values(served.paths).flatMap((item) => Object.keys(item))).toHaveLength(routed);
  });

  it('describes the streamed upload and the job that rides along with errors', () => {
    const { served } = running;
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
  });
});
