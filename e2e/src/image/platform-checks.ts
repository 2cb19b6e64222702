import { openSseClient, waitFor } from '@aegis/testing';

/**
 * The short end-to-end pass of `npm run image:smoke`, through the containerised gateway only: log in
 * as the tenant administrator the operator provisioned, read /auth/me, upload a CSV to ingestion, find
 * its rows with a graph query, receive an operational event on the flaring monitor's SSE stream, and
 * list the agents and run one (the offline planner: no model is configured).
 * Each check throws with the status and body it got; the names of the passed checks are returned.
 */
export interface PassInput {
  /** The gateway, e.g. http://127.0.0.1:8000. */
  base: string;
  tenant: string;
  email: string;
  password: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies, read field by field below.
type Body = any;

async function call(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${base}/api/v1/${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

function expectStatus(what: string, got: { status: number; body: unknown }, status: number): void {
  if (got.status !== status)
    throw new Error(
      `${what}: expected ${status}, got ${got.status} ${JSON.stringify(got.body).slice(0, 500)}`,
    );
}

const WELLS_HEADER =
  'API No.,Well Name,Operator Name,Operator No.,Lease Name,Lease No.,District,Lat,Long,Spud Date\r\n';
const wellRow = (i: number) =>
  `42-317-${String(30000 + i)},Smoke Well ${i}H,Smoke Operating LLC,123457,SMOKE LEASE,41001,8A,32.3,-101.9,03/15/2021\r\n`;

export async function runPlatformPass(p: PassInput): Promise<string[]> {
  const passed: string[] = [];

  // The operator provisions the administrator and compiles the tenant into the gateway's configuration
  // asynchronously: log in until both have happened.
  const token = await waitFor(
    'a login through the gateway as the tenant administrator',
    async () => {
      const r = await call(p.base, 'POST', 'auth/token', undefined, { email: p.email, password: p.password });
      if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
      const me = await call(p.base, 'GET', 'auth/me', r.body.access_token as string);
      if (me.status !== 200) throw new Error(`/auth/me ${me.status} ${JSON.stringify(me.body)}`);
      return r.body.access_token as string;
    },
    60_000,
    500,
  );
  passed.push('login');

  const me = await call(p.base, 'GET', 'auth/me', token);
  expectStatus('GET /auth/me', me, 200);
  if (me.body.tenant_id !== p.tenant || me.body.email !== p.email)
    throw new Error(`GET /auth/me: ${JSON.stringify(me.body)}`);
  passed.push('/auth/me');

  const rows = 3;
  const form = new FormData();
  form.append('data_type', 'wells');
  const csv = WELLS_HEADER + Array.from({ length: rows }, (_, i) => wellRow(i + 1)).join('');
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'wells.csv');
  const upload = await call(p.base, 'POST', 'ingest/operator/csv', token, form);
  expectStatus('POST /ingest/operator/csv', upload, 201);
  if (upload.body.accepted_rows !== rows) throw new Error(`CSV upload: ${JSON.stringify(upload.body)}`);
  passed.push(`CSV upload (${rows} rows)`);

  const wells = await call(p.base, 'GET', 'entities/Well?page_size=1', token);
  expectStatus('GET /entities/Well', wells, 200);
  if (wells.body.total !== rows) throw new Error(`graph query: ${JSON.stringify(wells.body)}`);
  const one = await call(p.base, 'GET', `entities/Well/42-317-30001`, token);
  expectStatus('GET /entities/Well/42-317-30001', one, 200);
  passed.push('graph query');

  const type = await call(p.base, 'POST', 'event-types', token, {
    key: 'smoke_check',
    name: 'Smoke check',
    fields: [{ name: 'ppm', type: 'number', min: 0 }],
  });
  expectStatus('POST /event-types', type, 201);
  const active = await call(p.base, 'POST', `event-types/${type.body.type_id}/transition`, token, {
    status: 'active',
  });
  expectStatus('POST /event-types/{id}/transition', active, 200);
  const stream = await openSseClient(`${p.base}/api/v1/events/stream`, { authorization: `Bearer ${token}` });
  try {
    if (stream.status !== 200) throw new Error(`GET /events/stream: ${stream.status}`);
    const created = await call(p.base, 'POST', 'events', token, {
      event_type: 'smoke_check',
      data: { ppm: 7 },
    });
    expectStatus('POST /events', created, 201);
    await stream.waitFor((e) => (e.data as { event_id?: string }).event_id === created.body.event_id, 10_000);
  } finally {
    stream.close();
  }
  passed.push('SSE event stream');

  const agents = await call(p.base, 'GET', 'agents', token);
  expectStatus('GET /agents', agents, 200);
  if (agents.body.total !== 5) throw new Error(`GET /agents: ${JSON.stringify(agents.body)}`);
  const run = await call(p.base, 'POST', 'execute', token, {
    agent_type: 'general',
    user_message: 'Which regulation governs flaring in Texas?',
  });
  expectStatus('POST /execute', run, 200);
  if (run.body.status !== 'completed' || !run.body.response)
    throw new Error(`POST /execute: ${JSON.stringify(run.body).slice(0, 500)}`);
  passed.push('agent run (offline planner)');
  return passed;
}
