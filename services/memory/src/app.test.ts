/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked by the assertions */
import { serializedBytes } from './domain/working-memory';
import { startHarness, type Harness } from './__tests__/harness';

/** The error shape of spec §5, with the field a 422 names. */
function expectError(res: { status: number; body: any }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(
    expect.objectContaining({ code, detail: expect.anything(), request_id: expect.any(String) }),
  );
}
function expectInvalid(res: { status: number; body: any }, loc: (string | number)[]): void {
  expectError(res, 422, 'validation_error');
  expect(res.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc })]));
}

describe('memory service in process (SQLite, a test token issuer)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('PUT/GET/DELETE /working-memory/{conversation_id}', () => {
    it('merges a PUT into the map a GET returns; null deletes a field', async () => {
      const put1 = await h.call('PUT', '/working-memory/c-1', h.tokens.operator, {
        fields: { stage: 'plan', well: { api: '42-1' } },
      });
      expect(put1.status).toBe(200);
      await h.call('PUT', '/working-memory/c-1', h.tokens.operator, { fields: { stage: 'tools', n: 2 } });
      await h.call('PUT', '/working-memory/c-1', h.tokens.operator, { fields: { well: null } });
      const got = await h.call('GET', '/working-memory/c-1', h.tokens.viewer);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({
        conversation_id: 'c-1',
        fields: { stage: 'tools', n: 2 },
        size_bytes: serializedBytes({ stage: 'tools', n: 2 }),
        expires_at: '2026-06-02T00:00:00.000Z',
      });
    });

    it('answers 413 in the error shape for a 65 KB map and changes nothing', async () => {
      await h.call('PUT', '/working-memory/c-big', h.tokens.operator, { fields: { keep: 1 } });
      const res = await h.call('PUT', '/working-memory/c-big', h.tokens.operator, {
        fields: { pad: 'x'.repeat(65 * 1024) },
      });
      expectError(res, 413, 'working_memory_too_large');
      expect(res.body.detail).toMatch(/65536/);
      expect((await h.call('GET', '/working-memory/c-big', h.tokens.operator)).body.fields).toEqual({
        keep: 1,
      });
    });

    it('accepts exactly 65 536 bytes and refuses 65 537 (nothing changed)', async () => {
      const pad = (n: number) => 'x'.repeat(n - serializedBytes({ pad: '' }));
      const ok = await h.call('PUT', '/working-memory/c-edge', h.tokens.operator, {
        fields: { pad: pad(65_536) },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.size_bytes).toBe(65_536);
      const over = await h.call('PUT', '/working-memory/c-edge', h.tokens.operator, {
        fields: { pad: pad(65_537) },
      });
      expectError(over, 413, 'working_memory_too_large');
      expect((await h.call('GET', '/working-memory/c-edge', h.tokens.operator)).body.size_bytes).toBe(65_536);
    });

    it('forgets a map 24 h after its last access, each access pushing the expiry on', async () => {
      await h.call('PUT', '/working-memory/c-ttl', h.tokens.operator, { fields: { a: 1 } });
      h.clock.now += 23 * 3600_000;
      expect((await h.call('GET', '/working-memory/c-ttl', h.tokens.operator)).status).toBe(200);
      h.clock.now += 23 * 3600_000;
      expect((await h.call('GET', '/working-memory/c-ttl', h.tokens.operator)).status).toBe(200);
      h.clock.now += 24 * 3600_000;
      expectError(await h.call('GET', '/working-memory/c-ttl', h.tokens.operator), 404, 'not_found');
    });

    it('deletes with 204, then 404', async () => {
      await h.call('PUT', '/working-memory/c-del', h.tokens.operator, { fields: { a: 1 } });
      expect((await h.call('DELETE', '/working-memory/c-del', h.tokens.operator)).status).toBe(204);
      expectError(await h.call('DELETE', '/working-memory/c-del', h.tokens.operator), 404, 'not_found');
    });

    it('answers 422 naming the field for bad input and stores nothing', async () => {
      expectInvalid(await h.call('PUT', '/working-memory/c-bad', h.tokens.operator, { fields: [1] }), [
        'body',
        'fields',
      ]);
      expectInvalid(await h.call('PUT', '/working-memory/c-bad', h.tokens.operator, { field: { a: 1 } }), [
        'body',
      ]);
      expectInvalid(
        await h.call('PUT', '/working-memory/c-bad', h.tokens.operator, { fields: { ['k'.repeat(257)]: 1 } }),
        ['body', 'fields', 'k'.repeat(257)],
      );
      expectInvalid(
        await h.call('PUT', `/working-memory/${'c'.repeat(201)}`, h.tokens.operator, { fields: {} }),
        ['path', 'conversation_id'],
      );
      expectError(await h.call('GET', '/working-memory/c-bad', h.tokens.operator), 404, 'not_found');
    });

    it('keeps tenants apart and lets only writers write', async () => {
      await h.call('PUT', '/working-memory/c-t', h.tokens.operator, { fields: { who: 'default' } });
      expectError(await h.call('GET', '/working-memory/c-t', h.tokens.acme), 404, 'not_found');
      await h.call('PUT', '/working-memory/c-t', h.tokens.acme, { fields: { who: 'acme' } });
      expect((await h.call('GET', '/working-memory/c-t', h.tokens.operator)).body.fields).toEqual({
        who: 'default',
      });
      expectError(
        await h.call('PUT', '/working-memory/c-t', h.tokens.viewer, { fields: { who: 'viewer' } }),
        403,
        'insufficient_role',
      );
      expectError(
        await h.call('GET', '/working-memory/c-t?tenant_id=acme', h.tokens.operator),
        403,
        'cross_tenant',
      );
      expect((await h.call('GET', '/working-memory/c-t', h.tokens.operator)).body.fields).toEqual({
        who: 'default',
      });
    });

    it('lets a service token act on the tenant it names', async () => {
      const res = await h.call('GET', '/working-memory/c-t?tenant_id=acme', h.tokens.service);
      expect(res.body.fields).toEqual({ who: 'acme' });
      expect((await h.call('GET', '/working-memory/c-t', h.tokens.service)).body.fields).toEqual({
        who: 'default',
      });
    });

    it('answers 401 without a token', async () => {
      const res = await fetch(`${h.url}/working-memory/c-1`);
      expect(res.status).toBe(401);
    });
  });

  describe('episodic memory', () => {
    it('stores an episode with its metadata and lists it under its conversation', async () => {
      const stored = await h.call('POST', '/episodic/store', h.tokens.operator, {
        summary: 'Assessed flaring at well 42-1 against its Rule 32 authorisation.',
        metadata: {
          conversation_id: 'c-ep',
          agent_id: 'flaring-agent',
          user_id: 'u-1',
          tags: ['flaring', 'r32', 'flaring'],
          created_at: '2026-05-01T10:00:00+02:00',
        },
      });
      expect(stored.status).toBe(201);
      expect(stored.body).toMatchObject({
        episode_id: expect.stringMatching(/^ep-/),
        metadata: {
          tags: ['flaring', 'r32'],
          created_at: '2026-05-01T08:00:00.000Z',
          agent_id: 'flaring-agent',
        },
        stored_at: new Date(h.clock.now).toISOString(),
      });
      const list = await h.call('GET', '/episodic/c-ep', h.tokens.viewer);
      expect(list.body).toMatchObject({ total: 1, page: 1, data: [{ episode_id: stored.body.episode_id }] });
      expect((await h.call('GET', '/episodic/c-ep', h.tokens.acme)).body.total).toBe(0);
    });

    it('searches by similarity and names the ranking', async () => {
      const res = await h.call('POST', '/episodic/search', h.tokens.viewer, {
        query: 'flaring authorisation',
      });
      expect(res.status).toBe(200);
      expect(res.body.ranking).toBe('bm25');
      expect(res.body.data[0]).toMatchObject({
        metadata: { conversation_id: 'c-ep' },
        score: expect.any(Number),
      });
      const other = await h.call('POST', '/episodic/search', h.tokens.acme, {
        query: 'flaring authorisation',
      });
      expect(other.body.data).toEqual([]);
    });

    it('answers 422 naming the field and stores nothing', async () => {
      expectInvalid(
        await h.call('POST', '/episodic/store', h.tokens.operator, {
          metadata: { conversation_id: 'c-bad-ep' },
        }),
        ['body', 'summary'],
      );
      expectInvalid(
        await h.call('POST', '/episodic/store', h.tokens.operator, {
          summary: 'x',
          metadata: { conversation_id: 'c-bad-ep', created_at: '2026-02-30T00:00:00Z' },
        }),
        ['body', 'metadata', 'created_at'],
      );
      expectInvalid(await h.call('POST', '/episodic/search', h.tokens.operator, { query: 'x', limit: 0 }), [
        'body',
        'limit',
      ]);
      expect((await h.call('GET', '/episodic/c-bad-ep', h.tokens.operator)).body.total).toBe(0);
    });
  });

  describe('the injection ledger', () => {
    it('checks and marks idempotently', async () => {
      const check1 = await h.call('POST', '/ledger/c-l/check', h.tokens.viewer, { skill_ids: ['r32', 'w1'] });
      expect(check1.body).toEqual({ conversation_id: 'c-l', injected: [], not_injected: ['r32', 'w1'] });
      const mark1 = await h.call('POST', '/ledger/c-l/mark', h.tokens.operator, { skill_ids: ['r32'] });
      expect(mark1.body).toEqual({ conversation_id: 'c-l', newly_marked: ['r32'], already_marked: [] });
      const mark2 = await h.call('POST', '/ledger/c-l/mark', h.tokens.operator, {
        skill_ids: ['r32', 'w1', 'w1'],
      });
      expect(mark2.body).toEqual({ conversation_id: 'c-l', newly_marked: ['w1'], already_marked: ['r32'] });
      const check2 = await h.call('POST', '/ledger/c-l/check', h.tokens.viewer, { skill_ids: ['w1', 'x'] });
      expect(check2.body).toEqual({ conversation_id: 'c-l', injected: ['w1'], not_injected: ['x'] });
      const ledger = await h.call('GET', '/ledger/c-l', h.tokens.viewer);
      expect(ledger.body).toMatchObject({ total: 2, data: [{ skill_id: 'r32' }, { skill_id: 'w1' }] });
      expect((await h.call('GET', '/ledger/c-l', h.tokens.acme)).body.total).toBe(0);
    });

    it('gives a skill marked concurrently to exactly one caller', async () => {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          h.call('POST', '/ledger/c-race/mark', h.tokens.operator, { skill_ids: ['s'] }),
        ),
      );
      expect(answers.filter((a) => a.body.newly_marked.includes('s'))).toHaveLength(1);
    });

    it('answers 422 naming the field and records nothing', async () => {
      expectInvalid(await h.call('POST', '/ledger/c-l-bad/mark', h.tokens.operator, { skill_ids: [] }), [
        'body',
        'skill_ids',
      ]);
      expectInvalid(
        await h.call('POST', '/ledger/c-l-bad/mark', h.tokens.operator, { skill_ids: ['ok', 'a/b'] }),
        ['body', 'skill_ids', 1],
      );
      expect((await h.call('GET', '/ledger/c-l-bad', h.tokens.operator)).body.total).toBe(0);
    });
  });
});
