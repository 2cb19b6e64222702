import type { PlatformClients, ToolContext } from './types';
import { serviceCall } from './define';

function contextWith(clients: PlatformClients, signal: AbortSignal): ToolContext {
  return {
    tenantId: 't',
    userId: 'u',
    caller: { token: 'x', tenantId: 't' },
    clients,
    conversationId: 'c',
    runId: 'r',
    signal,
    now: () => 0,
  };
}

describe('serviceCall', () => {
  it('answers the service’s reply, with the run’s caller', async () => {
    const seen: unknown[] = [];
    const clients: PlatformClients = {
      call: <T>(...args: unknown[]) => {
        seen.push(args);
        return Promise.resolve({ ok: true } as T);
      },
    };
    await expect(
      serviceCall(contextWith(clients, new AbortController().signal), 'flaring-monitor', 'POST', '/p', {
        a: 1,
      }),
    ).resolves.toEqual({ ok: true });
    expect(seen).toEqual([['flaring-monitor', 'POST', '/p', { token: 'x', tenantId: 't' }, { a: 1 }]]);
  });

  it('stops waiting when the run is cancelled, and never starts on a cancelled run', async () => {
    let calls = 0;
    const never: PlatformClients = {
      call: () => {
        calls += 1;
        return new Promise(() => undefined);
      },
    };
    const controller = new AbortController();
    const pending = serviceCall(contextWith(never, controller.signal), 'knowledge-graph', 'GET', '/slow');
    controller.abort(new Error('cancelled by the user'));
    await expect(pending).rejects.toThrow('cancelled by the user');
    await expect(
      serviceCall(contextWith(never, controller.signal), 'knowledge-graph', 'GET', '/x'),
    ).rejects.toThrow('cancelled by the user');
    expect(calls).toBe(1);
  });

  it('passes a service error through', async () => {
    const failing: PlatformClients = { call: () => Promise.reject(new Error('well_not_found')) };
    await expect(
      serviceCall(contextWith(failing, new AbortController().signal), 'knowledge-graph', 'GET', '/x'),
    ).rejects.toThrow('well_not_found');
  });
});
