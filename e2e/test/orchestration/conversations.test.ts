/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { jsonRequest } from '@aegis/testing';
import { expectError, useOrchestrationPlatform } from './platform';

/**
 * Conversations through the gateway: CRUD with the list envelope and soft delete, runs and their
 * traces, tenant isolation, and bad input on every endpoint answered in the error shape with nothing
 * stored.
 */
describe('conversations and runs through the gateway', () => {
  const p = useOrchestrationPlatform();

  /** How many conversations and messages the operator's tenant holds (to show nothing was stored). */
  async function stored(): Promise<{ conversations: number; runs: number[] }> {
    const list = await p.admin.call('GET', '/api/v1/conversations?page_size=100');
    expect(list.status).toBe(200);
    const runs = await Promise.all(
      (list.body.data as any[]).map(
        async (c) =>
          (await p.admin.call('GET', `/api/v1/conversations/${c.conversation_id}/runs`)).body.total as number,
      ),
    );
    return { conversations: list.body.total, runs };
  }

  describe('CRUD', () => {
    it('creates (201), lists with the envelope and filters, renames, and soft-deletes (204) a conversation', async () => {
      const created = await p.operator.call('POST', '/api/v1/conversations', {
        agent_type: 'general',
        title: 'Wells of Martin County',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        conversation_id: expect.any(String),
        agent_type: 'general',
        agent_id: 'general-assistant',
        title: 'Wells of Martin County',
        status: 'active',
      });
      const id = created.body.conversation_id;

      const list = await p.operator.call('GET', '/api/v1/conversations?agent_type=general&page_size=5');
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ page: 1, page_size: 5, total: expect.any(Number) });
      expect((list.body.data as any[]).map((c) => c.conversation_id)).toContain(id);
      const other = await p.operator.call('GET', '/api/v1/conversations?agent_type=rule_37&page_size=100');
      expect((other.body.data as any[]).map((c) => c.conversation_id)).not.toContain(id);

      const renamed = await p.operator.call('PATCH', `/api/v1/conversations/${id}`, {
        title: 'Martin County',
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.title).toBe('Martin County');
      const replaced = await p.operator.call('PUT', `/api/v1/conversations/${id}`, {
        title: 'Archived wells',
        status: 'archived',
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ title: 'Archived wells', status: 'archived' });
      const archived = await p.operator.call('GET', '/api/v1/conversations?status=archived&page_size=100');
      expect((archived.body.data as any[]).map((c) => c.conversation_id)).toContain(id);

      const deleted = await p.operator.call('DELETE', `/api/v1/conversations/${id}`);
      expect(deleted.status).toBe(204);
      expectError(await p.operator.call('GET', `/api/v1/conversations/${id}`), 404, 'not_found');
      expectError(await p.operator.call('GET', `/api/v1/conversations/${id}/messages`), 404, 'not_found');
      expectError(await p.operator.call('DELETE', `/api/v1/conversations/${id}`), 404, 'not_found');
      const after = await p.operator.call('GET', '/api/v1/conversations?page_size=100');
      expect((after.body.data as any[]).map((c) => c.conversation_id)).not.toContain(id);
    });

    it('lists a conversation’s runs and shows each run’s trace: steps, tool calls with input and output, tokens and cost', async () => {
      const run = await p.operator.call('POST', '/api/v1/execute', {
        agent_type: 'flaring_monitor',
        user_message: 'Which flaring authorisations are at or above 80 % of their authorised volume?',
      });
      expect(run.status).toBe(200);
      const { conversation_id: id, run_id: runId } = run.body;
      const runs = await p.operator.call('GET', `/api/v1/conversations/${id}/runs`);
      expect(runs.status).toBe(200);
      expect(runs.body).toMatchObject({ total: 1, data: [{ run_id: runId, status: 'completed' }] });

      const trace = await p.operator.call('GET', `/api/v1/conversations/${id}/runs/${runId}`);
      expect(trace.status).toBe(200);
      expect(trace.body).toMatchObject({
        run_id: runId,
        agent_id: 'flaring-monitor-agent',
        planner: 'deterministic',
        status: 'completed',
        response: run.body.response,
        token_usage: run.body.token_usage,
        cost_usd: 0,
        tools_called: run.body.tools_called,
      });
      const nodes = (trace.body.steps as any[]).map((s) => s.node);
      expect(nodes[0]).toBe('load_context');
      expect(nodes).toContain('plan');
      expect(nodes.at(-1)).toBe('synthesis');
      expect((trace.body.tool_calls as any[]).map((c) => c.tool_name)).toEqual(run.body.tools_called);
      for (const c of trace.body.tool_calls as any[]) {
        expect(c.status).toBe('completed');
        expect(c.arguments).toEqual(expect.any(Object));
        expect(c.result).toBeDefined();
      }
      const total = (trace.body.steps as any[]).reduce((n, s) => n + s.token_usage.total_tokens, 0);
      expect(total).toBe(run.body.token_usage.total_tokens);
    });
  });

  describe('tenant isolation', () => {
    it('keeps one tenant’s conversations and runs out of another’s reach', async () => {
      const run = await p.operator.call('POST', '/api/v1/execute', {
        agent_type: 'general',
        user_message: 'Which regulations govern flaring?',
      });
      expect(run.status).toBe(200);
      const { conversation_id: id, run_id: runId } = run.body;

      // The operator of acme sees none of it, whatever it asks.
      const list = await p.acme.call('GET', '/api/v1/conversations?page_size=100');
      expect((list.body.data as any[]).map((c) => c.conversation_id)).not.toContain(id);
      for (const [method, path, body] of [
        ['GET', `/api/v1/conversations/${id}`],
        ['GET', `/api/v1/conversations/${id}/messages`],
        ['GET', `/api/v1/conversations/${id}/runs`],
        ['GET', `/api/v1/conversations/${id}/runs/${runId}`],
        ['GET', `/api/v1/conversations/${id}/stream`],
        ['PATCH', `/api/v1/conversations/${id}`, { title: 'mine now' }],
        ['PUT', `/api/v1/conversations/${id}`, { title: 'mine now', status: 'archived' }],
        ['DELETE', `/api/v1/conversations/${id}`],
        ['POST', `/api/v1/conversations/${id}/cancel`],
        ['POST', '/api/v1/execute', { agent_type: 'general', user_message: 'hello', conversation_id: id }],
      ] as const)
        expectError(await p.acme.call(method, path, body), 404, 'not_found');
      // … nor by naming the tenant (403 cross_tenant), and the conversation is unchanged.
      expectError(
        await p.acme.call('GET', `/api/v1/conversations/${id}?tenant_id=default`),
        403,
        'cross_tenant',
      );
      const mine = await p.operator.call('GET', `/api/v1/conversations/${id}`);
      expect(mine.body.messages).toHaveLength(2);
      expect((await p.operator.call('GET', `/api/v1/conversations/${id}/runs`)).body.total).toBe(1);

      // The platform admin may read it by naming the tenant.
      const admin = await p.admin.call('GET', `/api/v1/conversations/${id}?tenant_id=default`);
      expect(admin.status).toBe(200);
    });
  });

  describe('bad input', () => {
    it('POST /execute: 422 for a missing or unknown agent_type or message, 404 for an unknown conversation, 400 for malformed JSON — nothing stored', async () => {
      const before = await stored();
      expectError(
        await p.operator.call('POST', '/api/v1/execute', { user_message: 'hi' }),
        422,
        'validation_error',
        ['body', 'agent_type'],
      );
      expectError(
        await p.operator.call('POST', '/api/v1/execute', { agent_type: 'rule_99', user_message: 'hi' }),
        422,
        'validation_error',
        ['body', 'agent_type'],
      );
      expectError(
        await p.operator.call('POST', '/api/v1/execute', { agent_type: 'general' }),
        422,
        'validation_error',
        ['body', 'user_message'],
      );
      expectError(
        await p.operator.call('POST', '/api/v1/execute', { agent_type: 'general', user_message: '   ' }),
        422,
        'validation_error',
        ['body', 'user_message'],
      );
      expectError(
        await p.operator.call('POST', '/api/v1/execute', {
          agent_type: 'general',
          user_message: 'hi',
          surprise: true,
        }),
        422,
        'validation_error',
      );
      expectError(
        await p.operator.call('POST', '/api/v1/execute', {
          agent_type: 'general',
          user_message: 'hi',
          conversation_id: 'conv-does-not-exist',
        }),
        404,
        'not_found',
      );
      const malformed = await jsonRequest(`${p.base}/api/v1/execute`, 'POST', {
        token: p.operator.token,
        body: '{"agent_type": "general", ',
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ request_id: expect.any(String) });
      expect(await stored()).toEqual(before);
    });

    it('a conversation of one agent type refuses a run of another (422), storing nothing', async () => {
      const c = await p.operator.call('POST', '/api/v1/conversations', { agent_type: 'rule_32' });
      const wrong = await p.operator.call('POST', '/api/v1/execute', {
        agent_type: 'general',
        user_message: 'hi',
        conversation_id: c.body.conversation_id,
      });
      expectError(wrong, 422, 'validation_error', ['body', 'agent_type']);
      const messages = await p.operator.call(
        'GET',
        `/api/v1/conversations/${c.body.conversation_id}/messages`,
      );
      expect(messages.body.total).toBe(0);
      expect(
        (await p.operator.call('GET', `/api/v1/conversations/${c.body.conversation_id}/runs`)).body.total,
      ).toBe(0);
    });

    it('conversations: 422 for bad bodies, filters, sorting and ids; 404 for unknown ones — nothing stored or changed', async () => {
      const c = await p.operator.call('POST', '/api/v1/conversations', {
        agent_type: 'general',
        title: 'Keep me',
      });
      const id = c.body.conversation_id;
      const before = await stored();
      for (const body of [
        {},
        { agent_type: 'rule_99' },
        { agent_type: 'general', title: '' },
        { agent_type: 'general', x: 1 },
      ])
        expectError(await p.operator.call('POST', '/api/v1/conversations', body), 422, 'validation_error');
      expectError(
        await p.operator.call('GET', '/api/v1/conversations?sort_by=password'),
        422,
        'validation_error',
        ['query', 'sort_by'],
      );
      expectError(
        await p.operator.call('GET', '/api/v1/conversations?status=lost'),
        422,
        'validation_error',
        ['query', 'status'],
      );
      expectError(await p.operator.call('GET', '/api/v1/conversations?page=0'), 422, 'validation_error', [
        'query',
        'page',
      ]);
      expectError(await p.operator.call('PATCH', `/api/v1/conversations/${id}`, {}), 422, 'validation_error');
      expectError(
        await p.operator.call('PATCH', `/api/v1/conversations/${id}`, { status: 'lost' }),
        422,
        'validation_error',
        ['body', 'status'],
      );
      expectError(
        await p.operator.call('PUT', `/api/v1/conversations/${id}`, { title: 'Only a title' }),
        422,
        'validation_error',
        ['body', 'status'],
      );
      expectError(await p.operator.call('GET', '/api/v1/conversations/conv-nope'), 404, 'not_found');
      expectError(
        await p.operator.call('PATCH', '/api/v1/conversations/conv-nope', { title: 'x' }),
        404,
        'not_found',
      );
      expectError(
        await p.operator.call('GET', '/api/v1/conversations/%20conv-leading-space'),
        422,
        'validation_error',
        ['path', 'conversation_id'],
      );
      expectError(
        await p.operator.call('GET', `/api/v1/conversations/${id}/runs/run-nope`),
        404,
        'not_found',
      );
      expectError(await p.operator.call('GET', '/api/v1/conversations/conv-nope/runs'), 404, 'not_found');
      expectError(await p.operator.call('POST', '/api/v1/conversations/conv-nope/cancel'), 404, 'not_found');
      expectError(await p.operator.call('POST', `/api/v1/conversations/${id}/cancel`), 409, 'no_active_run');
      expectError(
        await p.operator.call('GET', `/api/v1/conversations/${id}/stream?message=hi&agent_type=rule_99`),
        422,
        'validation_error',
        ['query', 'agent_type'],
      );
      expectError(
        await p.operator.call('GET', '/api/v1/conversations/conv-nope/stream?message=hi'),
        404,
        'not_found',
      );
      expectError(await p.operator.call('GET', '/api/v1/agents/nobody'), 404, 'not_found');
      expect(await stored()).toEqual(before);
      expect((await p.operator.call('GET', `/api/v1/conversations/${id}`)).body).toMatchObject({
        title: 'Keep me',
        status: 'active',
        messages: [],
      });
    });

    it('answers 401 without a token and 403 to another user’s rename by a viewer', async () => {
      const c = await p.operator.call('POST', '/api/v1/conversations', {
        agent_type: 'general',
        title: 'Operator’s',
      });
      const anonymous = await jsonRequest(`${p.base}/api/v1/conversations`, 'GET');
      expect(anonymous.status).toBe(401);
      const viewer = await p.viewer.call('PATCH', `/api/v1/conversations/${c.body.conversation_id}`, {
        title: 'Viewer’s',
      });
      expect(viewer.status).toBe(403);
      expect(
        (await p.operator.call('GET', `/api/v1/conversations/${c.body.conversation_id}`)).body.title,
      ).toBe('Operator’s');
    });
  });
});
