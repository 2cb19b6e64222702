/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import {
  serviceUrlVariable,
  startLocalService,
  startPlatform,
  waitFor,
  type RunningService,
} from '@aegis/testing';
import { createAndLogin, login, type Client, type NewUser } from '../knowledge-graph/platform';

/**
 * What `npm start` runs for the agents, as processes on free loopback ports: auth, the knowledge graph
 * and the flaring monitor with the demo data of tenant `default` (seeded at their first start, as
 * locally), the compliance monitor, approvals, memory, the orchestration and the gateway; monitor
 * sweeps and the agents' schedule off unless `orchestrationEnv` says otherwise. Users: the local
 * platform admin, an operator, two reviewers and a viewer of `default`, and an operator of `acme`.
 */
export interface OrchestrationPlatform {
  base: string;
  orchestration: RunningService;
  admin: Client;
  operator: Client;
  rita: Client;
  ron: Client;
  viewer: Client;
  acme: Client;
  /** Stops the orchestration process (SIGTERM); the gateway answers 502/503 for it until started. */
  stopOrchestration(): Promise<void>;
  /** Starts the orchestration again on the same ports, store and settings. */
  startOrchestration(): Promise<void>;
  stop(): Promise<void>;
}

export interface OrchestrationPlatformOptions {
  /** Added to the orchestration's environment (AGENTS_DIR, DATABASE_URL, LLM_*, …). */
  orchestrationEnv?: Record<string, string>;
  /** Services the suite provides itself (an HTTP stand-in) instead of starting them, by name. */
  upstreams?: Partial<Record<'flaring-monitor' | 'compliance-monitor', string>>;
}

const PASSWORD = 'long-enough-pw-1';

const USERS: readonly NewUser[] = [
  ['operator@aegis.local', ['operator', 'viewer'], undefined],
  ['rita@aegis.local', ['reviewer'], undefined],
  ['ron@aegis.local', ['reviewer'], undefined],
  ['viewer@aegis.local', ['viewer'], undefined],
  ['operator@acme.example', ['operator', 'viewer'], 'acme'],
];

export async function startOrchestrationPlatform(
  options: OrchestrationPlatformOptions = {},
): Promise<OrchestrationPlatform> {
  const upstreams = options.upstreams ?? {};
  const orchestrationEnv = {
    MONITOR_AGENTS_INTERVAL_MS: '0',
    APPROVAL_POLL_MS: '200',
    SSE_HEARTBEAT_MS: '1000',
    ...options.orchestrationEnv,
  };
  const services = [
    { name: 'knowledge-graph' },
    ...(upstreams['flaring-monitor'] ? [] : [{ name: 'flaring-monitor', env: { SWEEP_INTERVAL_MS: '0' } }]),
    ...(upstreams['compliance-monitor']
      ? []
      : [{ name: 'compliance-monitor', env: { SWEEP_INTERVAL_MS: '0' } }]),
    { name: 'approvals' },
    { name: 'memory' },
    { name: 'orchestration', env: orchestrationEnv },
  ];
  const platform = await startPlatform({ name: 'orchestration-platform', services, upstreams });
  const restarted: RunningService[] = [];
  const stop = async () => {
    for (const s of restarted.splice(0)) await s.stop();
    await platform.stop();
  };
  try {
    const base = platform.base;
    const admin = await login(base, 'admin@aegis.local', 'aegis-dev-admin');
    const [operator, rita, ron, viewer, acme] = await createAndLogin(base, admin, USERS, PASSWORD);
    const result: OrchestrationPlatform = {
      base,
      orchestration: platform.services.orchestration,
      admin,
      operator,
      rita,
      ron,
      viewer,
      acme,
      stop,
      stopOrchestration: () => result.orchestration.stop(),
      async startOrchestration() {
        const old = result.orchestration;
        const urls: Record<string, string> = { [serviceUrlVariable('auth')]: platform.auth.url };
        for (const [name, s] of Object.entries(platform.services)) urls[serviceUrlVariable(name)] = s.url;
        for (const [name, url] of Object.entries(upstreams)) urls[serviceUrlVariable(name)] = url;
        const next = await startLocalService('orchestration', {
          dataDir: platform.dir,
          authUrl: platform.auth.url,
          env: { ...urls, ...orchestrationEnv },
          ports: { port: Number(new URL(old.url).port), adminPort: Number(new URL(old.adminUrl).port) },
          timeoutMs: 60_000,
        });
        restarted.push(next);
        result.orchestration = next;
      },
    };
    return result;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The platform for one suite: started in `beforeAll`, stopped in `afterAll`; the fields are set once
 * `beforeAll` has run. `options` may be a function, read in `beforeAll` (a PostgreSQL URL). */
export function useOrchestrationPlatform(
  options: OrchestrationPlatformOptions | (() => OrchestrationPlatformOptions) = {},
): OrchestrationPlatform {
  const p = {} as OrchestrationPlatform;
  beforeAll(async () => {
    Object.assign(p, await startOrchestrationPlatform(typeof options === 'function' ? options() : options));
  }, 180_000);
  afterAll(async () => {
    await p.stop?.();
  });
  return p;
}

/** Polls a run until its status is one of `statuses` (the trace of `GET /conversations/{id}/runs/{run_id}`). */
export function waitForRun(
  client: Client,
  conversationId: string,
  runId: string,
  statuses: readonly string[],
  timeoutMs = 20_000,
): Promise<any> {
  return waitFor(
    `run ${runId} to be ${statuses.join(' or ')}`,
    async () => {
      const r = await client.call('GET', `/api/v1/conversations/${conversationId}/runs/${runId}`);
      if (r.status !== 200) throw new Error(`GET run answered ${r.status} ${JSON.stringify(r.body)}`);
      if (!statuses.includes(r.body.status)) throw new Error(`status ${r.body.status}`);
      return r.body;
    },
    timeoutMs,
    100,
  );
}

/**
 * Whether `text` states `value` as the services compute it: with 0, 1 or 2 decimals, plain or with
 * thousands separators (an answer written from templates or by a model rounds as it likes).
 */
export function mentionsFigure(text: string, value: number): boolean {
  const forms = new Set<string>();
  for (const d of [0, 1, 2]) {
    forms.add(value.toFixed(d));
    forms.add(value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  }
  return [...forms].some((f) =>
    new RegExp(`(^|[^0-9.,])${f.replace(/[.,]/g, '\\$&')}(?![0-9]|[.,][0-9])`).test(text),
  );
}

/** A demo well whose nearest offset well is closer than the 1,200 ft statewide minimum of Rule 37
 * (16 TAC §3.37), and that offset as the graph's `offset_wells` query gives it (with `distance_ft`). */
export async function wellInsideSpacing(client: Client): Promise<{ well: string; nearest: any }> {
  const wells = (await client.call('GET', '/api/v1/entities/Well?page_size=100')).body.data as any[];
  for (const w of wells) {
    const q = await client.call('POST', '/api/v1/query', {
      template_id: 'offset_wells',
      params: { well_id: w.entity_id, radius_ft: 1200, limit: 1 },
    });
    if (q.status !== 200) throw new Error(`offset_wells answered ${q.status} ${JSON.stringify(q.body)}`);
    const rows = q.body.data as any[];
    if (rows.length > 0) return { well: w.entity_id as string, nearest: rows[0] };
  }
  throw new Error('The demo data has no well inside the Rule 37 spacing minimum');
}

/** `text` with the dashes between digits removed, so an API number written `42-301-30592-00-00`
 * reads as the stored `42301305920000`. */
export const digitsOnly = (text: string): string => text.replace(/(?<=\d)-(?=\d)/g, '');

/** The error shape of spec §5: a 422's `detail` lists `{loc, msg, type}` (one naming `loc` when given), any
 * other status has a plain `detail`. */
export function expectError(
  r: { status: number; body: any },
  status: number,
  code: string,
  loc?: string[],
): void {
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({ code, request_id: expect.any(String) });
  if (status === 422) {
    expect(r.body.detail.length).toBeGreaterThan(0);
    for (const issue of r.body.detail)
      expect(issue).toMatchObject({
        loc: expect.any(Array),
        msg: expect.any(String),
        type: expect.any(String),
      });
    if (loc) expect(r.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc })]));
  } else expect(typeof r.body.detail).toBe('string');
}
