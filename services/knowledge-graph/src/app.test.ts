import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createMetrics, createTokenVerifier, openStore, type Store } from '@aegis/common';
import { createTestTokenIssuer, type TestTokenIssuer } from '@aegis/testing';
import { createApp } from './app';
import { migrateGraphStore, seedIfEmpty } from './wiring';

/** The app in process on an in-memory store, with tokens from a local test issuer. */
describe('knowledge-graph app', () => {
  let issuer: TestTokenIssuer;
  let store: Store;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    store = await openStore({ url: 'sqlite::memory:' });
    await migrateGraphStore(store);
    const logger = createLogger({ service: 'kg-test', level: 'silent' });
    expect(await seedIfEmpty(store, logger, Date.UTC(2025, 5, 1))).toBe(true);
    expect(await seedIfEmpty(store, logger, Date.UTC(2025, 5, 1))).toBe(false);
    const app = createApp({
      store,
      verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
      logger,
      metrics: createMetrics('kg-test'),
      now: () => Date.UTC(2025, 5, 1, 12),
    });
    const handle = app.callback();
    server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await issuer.close();
  });

  const as = async (roles: string[], tenant = 'default') =>
    ({
      authorization: `Bearer ${await issuer.sign({ roles: roles as never, tenant_id: tenant })}`,
    }) as Record<string, string>;

  it('answers /health and /ready without a token, and serves its OpenAPI document', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({
      status: 'ok',
      service: 'knowledge-graph',
    });
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(20);
  });

  it('requires a token and lets every role read but only operators write', async () => {
    expect((await fetch(`${base}/entities/Well`)).status).toBe(401);
    for (const role of ['viewer', 'operator', 'reviewer', 'admin']) {
      expect((await fetch(`${base}/entities/Well`, { headers: await as([role]) })).status).toBe(200);
    }
    const write = (roles: string[]) =>
      as(roles).then((h) =>
        fetch(`${base}/entities`, {
          method: 'POST',
          headers: { ...h, 'content-type': 'application/json' },
          body: JSON.stringify({ label: 'Operator', properties: { name: `x-${roles[0]}` } }),
        }),
      );
    expect((await write(['reviewer'])).status).toBe(403);
    expect((await write(['viewer'])).status).toBe(403);
    const created = await write(['operator']);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { entity_id: string }).entity_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses another tenant named in the query unless the caller is a platform admin', async () => {
    expect(
      (await fetch(`${base}/entities/Well?tenant_id=acme`, { headers: await as(['admin'], 'acme2') })).status,
    ).toBe(403);
    // An admin of tenant default is no platform admin.
    expect(
      (await fetch(`${base}/entities/Well?tenant_id=acme`, { headers: await as(['admin'], 'default') }))
        .status,
    ).toBe(403);
    const platform = await fetch(`${base}/entities/Well?tenant_id=acme`, {
      headers: await as(['admin', 'platform_admin']),
    });
    expect(platform.status).toBe(200);
    expect(((await platform.json()) as { total: number }).total).toBe(0);
  });

  it('answers 405 for a wrong method and 422 for an unknown label', async () => {
    expect((await fetch(`${base}/query`, { headers: await as(['viewer']) })).status).toBe(405);
    const r = await fetch(`${base}/graph/Spaceship/1`, { headers: await as(['viewer']) });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { detail: { loc: unknown[] }[] }).detail[0].loc).toEqual(['path', 'label']);
  });
});
