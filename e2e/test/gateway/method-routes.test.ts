import fs from 'node:fs';
import { stringify } from 'yaml';
import { defaultRouteTable } from '@aegis/common';
import {
  sendRequest,
  startEchoUpstream,
  startGatewayTestbed,
  waitFor,
  type EchoUpstream,
  type GatewayTestbed,
  type RunningGateway,
} from '@aegis/testing';

/** The gateway's error shape (spec §5): `detail` and `error` the same message, a code, a request id. */
function expectGatewayError(text: string, code: string): void {
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'error', 'request_id']);
  expect(body).toMatchObject({ code, error: body.detail });
  expect(body.request_id).toEqual(expect.any(String));
}

/** Route rows restricted to methods (docs/adr/0028-method-aware-routes.md), through the gateway
 * process: the registry's own table sends GET /api/v1/compliance/deadlines to the orchestration and
 * POST to the compliance monitor; a path whose rows all refuse a method is 405 with `Allow`; a route
 * file with a bad method is refused and the running configuration stays. */
describe('gateway (process): route rows restricted to methods', () => {
  let bed: GatewayTestbed;
  /** Stands in for the orchestration; the testbed's own upstream is the compliance monitor. */
  let orchestration: EchoUpstream;
  let gw: RunningGateway;
  let restricted: RunningGateway;
  let token: string;
  const port = (g: RunningGateway) => Number(new URL(g.url).port);
  const tenants = [{ name: 'default', spec: { rateLimit: { requestsPerMinute: 100_000, burst: 10_000 } } }];

  beforeAll(async () => {
    bed = await startGatewayTestbed();
    orchestration = await startEchoUpstream();
    const registry = defaultRouteTable();
    const services = Object.fromEntries(Object.keys(registry.services).map((s) => [s, bed.downUrl]));
    gw = await bed.startGateway({
      services: { ...services, orchestration: orchestration.url, 'compliance-monitor': bed.upstream.url },
      routes: registry.routes,
      tenants,
    });
    // Only restricted rows: nothing at all accepts GET under /api/v1/compliance/deadlines.
    restricted = await bed.startGateway({
      services: { 'compliance-monitor': bed.upstream.url, approvals: orchestration.url },
      routes: [
        { prefix: '/api/v1/compliance/deadlines', service: 'compliance-monitor', methods: ['POST'] },
        { prefix: '/api/v1/approvals', service: 'approvals', methods: ['GET', 'DELETE'] },
        { prefix: '/api/v1/approvals/escalate', service: 'compliance-monitor', methods: ['POST'] },
      ],
      tenants,
    });
    token = await bed.token();
  });

  afterAll(async () => {
    await bed?.stop();
    await orchestration?.close();
  });

  const counts = () => ({ monitor: bed.upstream.seen.length, orchestration: orchestration.seen.length });

  it('sends GET /api/v1/compliance/deadlines?window_days=30 to the orchestration, not the monitor', async () => {
    const before = counts();
    const res = await fetch(`${gw.url}/api/v1/compliance/deadlines?window_days=30`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'GET', url: '/compliance/deadlines?window_days=30' });
    expect(counts()).toEqual({ monitor: before.monitor, orchestration: before.orchestration + 1 });
  });

  it('sends POST /api/v1/compliance/deadlines with its body to the compliance monitor', async () => {
    const before = counts();
    const res = await fetch(`${gw.url}/api/v1/compliance/deadlines`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ window_days: 30 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      method: 'POST',
      url: '/compliance/deadlines',
      body: '{"window_days":30}',
    });
    expect(counts()).toEqual({ monitor: before.monitor + 1, orchestration: before.orchestration });
  });

  it('sends HEAD like GET, and the other legacy rows to the monitor whatever the method', async () => {
    const head = await sendRequest(port(gw), 'HEAD', '/api/v1/compliance/deadlines', {
      authorization: `Bearer ${token}`,
    });
    expect(head.status).toBe(200);
    expect(orchestration.seen.at(-1)).toMatchObject({ method: 'HEAD', url: '/compliance/deadlines' });
    const before = counts();
    const res = await fetch(`${gw.url}/api/v1/compliance/dashboard/op-1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await res.json()).toMatchObject({ method: 'GET', url: '/compliance/dashboard/op-1' });
    expect(counts()).toEqual({ monitor: before.monitor + 1, orchestration: before.orchestration });
  });

  it.each([
    ['GET', '/api/v1/compliance/deadlines', 'POST, OPTIONS'],
    ['PATCH', '/api/v1/compliance/deadlines/x', 'POST, OPTIONS'],
    ['PUT', '/api/v1/approvals/escalate', 'GET, HEAD, POST, DELETE, OPTIONS'],
  ])(
    'answers %s %s with 405, Allow: %s, the error shape and CORS, and forwards nothing',
    async (method, path, allow) => {
      const before = counts();
      const res = await sendRequest(port(restricted), method, path, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expectGatewayError(res.body, 'method_not_allowed');
      expect(counts()).toEqual(before);
    },
  );

  it('still falls back to a shorter row that accepts the method, and answers 404 where no row matches', async () => {
    const del = await sendRequest(port(restricted), 'DELETE', '/api/v1/approvals/escalate', {
      authorization: `Bearer ${token}`,
    });
    expect(del.status).toBe(200);
    expect(orchestration.seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/approvals/escalate' });
    const none = await sendRequest(port(restricted), 'GET', '/api/v1/compliance/summary', {
      authorization: `Bearer ${token}`,
    });
    expect(none.status).toBe(404);
    expectGatewayError(none.body, 'route_not_found');
  });

  it('refuses a route file naming an unknown method, says which row, and keeps serving the last good one', async () => {
    const hashOf = async () =>
      ((await (await fetch(`${restricted.url}/ready`)).json()) as { config_hash: string }).config_hash;
    const running = await hashOf();
    fs.writeFileSync(
      restricted.files.routesFile,
      stringify({
        services: { 'compliance-monitor': { url: bed.upstream.url } },
        routes: [
          { prefix: '/api/v1/compliance/deadlines', service: 'compliance-monitor', methods: ['post'] },
        ],
      }),
    );
    const error = await waitFor('the rejection to be recorded', async () => {
      const cfg = (await (await fetch(`${restricted.adminUrl}/config`)).json()) as {
        last_error: string | null;
      };
      return cfg.last_error ?? undefined;
    });
    expect(error).toContain(
      'routes.0.methods.0: unknown method "post": must be one of GET, POST, PUT, PATCH, DELETE',
    );
    expect(await hashOf()).toBe(running);
    const still = await sendRequest(port(restricted), 'GET', '/api/v1/compliance/deadlines', {
      authorization: `Bearer ${token}`,
    });
    expect(still.status).toBe(405);
  });
});
