import { startHarness, type Harness } from './harness';

describe('conversations API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates (201), lists with the envelope and filters, reads, renames and archives', async () => {
    const a = await h.call('POST', '/conversations', h.tokens.viewer, {
      agent_type: 'rule_37',
      title: 'Spacing',
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      conversation_id: expect.stringMatching(/^conv-/),
      agent_type: 'rule_37',
      agent_id: 'rule37-agent',
      title: 'Spacing',
      status: 'active',
      created_by: 'vic',
    });
    const b = await h.call('POST', '/conversations', h.tokens.viewer, { agent_type: 'general' });
    expect(b.body.title).toBe('Conversation with General assistant');

    const list = await h.call('GET', '/conversations?agent_type=rule_37', h.tokens.viewer);
    expect(list.body).toMatchObject({ total: 1, page: 1, page_size: 20 });
    expect(list.body.data[0].conversation_id).toBe(a.body.conversation_id);
    const paged = await h.call('GET', '/conversations?limit=1&offset=0&sort_by=title', h.tokens.viewer);
    expect(paged.body).toMatchObject({ total: 2, limit: 1, offset: 0 });

    const patched = await h.call('PATCH', `/conversations/${a.body.conversation_id}`, h.tokens.viewer, {
      status: 'archived',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Spacing', status: 'archived' });
    const put = await h.call('PUT', `/conversations/${a.body.conversation_id}`, h.tokens.viewer, {
      title: 'Spacing 2',
      status: 'active',
    });
    expect(put.body).toMatchObject({ title: 'Spacing 2', status: 'active' });
    const read = await h.call('GET', `/conversations/${a.body.conversation_id}`, h.tokens.acme);
    expect(read.status).toBe(404);
    const messages = await h.call(
      'GET',
      `/conversations/${a.body.conversation_id}/messages`,
      h.tokens.viewer,
    );
    expect(messages.body).toEqual({ data: [], total: 0, page: 1, page_size: 20 });
  });

  it('soft-deletes (204): gone from every read, and only for its creator or an operator', async () => {
    const c = await h.call('POST', '/conversations', h.tokens.viewer, { agent_type: 'general' });
    const id = c.body.conversation_id as string;
    const other = await h.call('DELETE', `/conversations/${id}`, h.tokens.viewer2);
    expect(other.status).toBe(403);
    const rename = await h.call('PATCH', `/conversations/${id}`, h.tokens.viewer2, { title: 'mine' });
    expect(rename.status).toBe(403);
    expect((await h.call('GET', `/conversations/${id}`, h.tokens.viewer)).body.title).not.toBe('mine');
    const del = await h.call('DELETE', `/conversations/${id}`, h.tokens.viewer);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    for (const path of [`/conversations/${id}`, `/conversations/${id}/messages`, `/conversations/${id}/runs`])
      expect((await h.call('GET', path, h.tokens.viewer)).status).toBe(404);
    expect((await h.call('DELETE', `/conversations/${id}`, h.tokens.viewer)).status).toBe(404);
    const list = await h.call('GET', '/conversations', h.tokens.viewer);
    expect(list.body.data.map((x: { conversation_id: string }) => x.conversation_id)).not.toContain(id);
    // The row is still stored (audit), only marked.
    const row = await h.store.db
      .selectFrom('conversations')
      .select('deleted_at')
      .where('conversation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
  });

  it.each([
    ['POST', '/conversations', { agent_type: 'nope' }, ['body', 'agent_type']],
    ['POST', '/conversations', { agent_type: 'general', title: '' }, ['body', 'title']],
    ['PATCH', '/conversations/ID', {}, ['body']],
    ['PATCH', '/conversations/ID', { status: 'closed' }, ['body', 'status']],
    ['PUT', '/conversations/ID', { title: 'x' }, ['body', 'status']],
  ])('%s %s answers 422 for %j and changes nothing', async (method, path, body, loc) => {
    const c = await h.call('POST', '/conversations', h.tokens.viewer, {
      agent_type: 'general',
      title: 'Keep',
    });
    const before = await h.count('conversations');
    const res = await h.call(method, path.replace('ID', c.body.conversation_id), h.tokens.viewer, body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
    expect(res.body.detail[0].loc).toEqual(loc);
    expect(await h.count('conversations')).toBe(before);
    expect(
      (await h.call('GET', `/conversations/${c.body.conversation_id}`, h.tokens.viewer)).body,
    ).toMatchObject({
      title: 'Keep',
      status: 'active',
    });
  });

  it('answers runs, trace and cancel requests with 404/422 in the error shape', async () => {
    const c = await h.call('POST', '/conversations', h.tokens.viewer, { agent_type: 'general' });
    const id = c.body.conversation_id as string;
    const cases: [string, string, number, unknown[] | undefined][] = [
      ['GET', `/conversations/${id}/runs?status=paused`, 422, ['query', 'status']],
      ['GET', `/conversations/${id}/runs?sort_by=cost_usd`, 422, ['query', 'sort_by']],
      ['GET', `/conversations/${id}/runs/run-missing`, 404, undefined],
      ['GET', `/conversations/conv-missing/runs`, 404, undefined],
      ['POST', `/conversations/conv-missing/cancel`, 404, undefined],
    ];
    for (const [method, path, status, loc] of cases) {
      const res = await h.call(method, path, h.tokens.viewer);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.body).toMatchObject({
        code: status === 404 ? 'not_found' : 'validation_error',
        request_id: expect.any(String),
      });
      if (loc) expect(res.body.detail[0].loc).toEqual(loc);
    }
    const none = await h.call('POST', `/conversations/${id}/cancel`, h.tokens.viewer);
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('no_active_run');
    expect((await h.call('GET', `/conversations/${id}/runs`, h.tokens.viewer)).body).toMatchObject({
      data: [],
      total: 0,
    });
  });

  it('answers 401 without a token and 422 for an unknown list parameter', async () => {
    expect((await h.call('GET', '/conversations', '')).status).toBe(401);
    const res = await h.call('GET', '/conversations?sort_by=secret', h.tokens.viewer);
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(['query', 'sort_by']);
  });
});

describe('GET /agents', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists the agents with the envelope, reads one, and 404s an unknown one', async () => {
    const list = await h.call('GET', '/agents', h.tokens.viewer);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.data.map((a: { agent_id: string }) => a.agent_id)).toEqual([
      'general-assistant',
      'rule37-agent',
    ]);
    const one = await h.call('GET', '/agents/rule37-agent', h.tokens.viewer);
    expect(one.body).toMatchObject({
      agent_type: 'rule_37',
      approval_checkpoints: ['pre_filing', 'good_cause_review'],
      budgets: { per_run: { tokens: 150_000, cost_usd: 10 } },
    });
    expect(one.body.system_prompt).toBeUndefined();
    const missing = await h.call('GET', '/agents/nope', h.tokens.viewer);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
  });
});
