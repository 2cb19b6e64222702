import { createComplianceFigures } from './monitor-client';

const alert = {
  level: 'critical',
  code: 'deadline_overdue',
  rule: '16 TAC §3.32 (Rule 32)',
  entity: { label: 'ComplianceDeadline', id: 'DL-1' },
  message: 'm',
  data: { due_date: '2026-06-01' },
  dedupe_key: 'k',
};

function figures(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof globalThis.fetch;
  return { calls, client: createComplianceFigures({ baseUrl: 'http://cm.test/', timeoutMs: 1000, fetch }) };
}

describe('createComplianceFigures', () => {
  it('posts the body with the caller’s token and tenant and returns the alerts', async () => {
    const { calls, client } = figures(200, { as_of: '2026-06-20', alerts: [alert] });
    const alerts = await client.deadlines(
      { token: 'tok', tenantId: 't-1' },
      { as_of: '2026-06-20', window_days: 30 },
    );
    expect(alerts).toEqual([alert]);
    expect(calls[0].url).toBe('http://cm.test/compliance/deadlines?tenant_id=t-1');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ as_of: '2026-06-20', window_days: 30 });
  });

  it('keeps a 403 of the monitor as the caller’s 403', async () => {
    const { client } = figures(403, { detail: 'Insufficient role', code: 'forbidden' });
    await expect(client.production('tok', { as_of: '2026-06-20', months: 2 })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
  });

  it.each([
    [500, { detail: 'boom' }],
    [200, { as_of: '2026-06-20', alerts: [{ ...alert, level: 'severe' }] }],
    [200, 'not json object'],
  ])('turns a %i answer it cannot read into an upstream error without internals', async (status, body) => {
    const { client } = figures(status, body);
    const err = await client.deadlines('tok', { as_of: '2026-06-20', window_days: 30 }).catch((e) => e);
    expect(err).toMatchObject({ status: 502, code: 'compliance_monitor_error' });
    expect(String(err.message)).not.toContain('cm.test');
  });

  it('answers compliance_monitor_unavailable when the monitor is unreachable', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof globalThis.fetch;
    const client = createComplianceFigures({ baseUrl: 'http://cm.test', timeoutMs: 1000, fetch });
    await expect(client.deadlines('tok', { as_of: '2026-06-20', window_days: 30 })).rejects.toMatchObject({
      code: 'compliance_monitor_unavailable',
    });
  });
});
