import { AppError } from '@aegis/common';
import { startHarness, type Harness } from './__tests__/harness';
import { z } from 'zod';
import {
  createMemoryClient,
  memoryClientEnv,
  memoryClientOf,
  memoryClientSettings,
  type MemoryClient,
} from './client';

describe('createMemoryClient against the running app', () => {
  let h: Harness;
  let client: MemoryClient;

  beforeAll(async () => {
    h = await startHarness();
    client = createMemoryClient({ baseUrl: h.url, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('puts, reads and deletes working memory; a missing map is undefined', async () => {
    const caller = h.tokens.operator;
    expect(await client.getWorkingMemory(caller, 'conv 1')).toBeUndefined();
    await expect(client.getWorkingMemory(caller, 'conv/1')).rejects.toMatchObject({
      status: 422,
      code: 'validation_error',
      detail: [expect.objectContaining({ loc: ['path', 'conversation_id'] })],
    });
    await client.putWorkingMemory(caller, 'conv 1', { a: 1, b: { c: 2 } });
    const merged = await client.putWorkingMemory(caller, 'conv 1', { a: null, d: 'x' });
    expect(merged.fields).toEqual({ b: { c: 2 }, d: 'x' });
    expect((await client.getWorkingMemory(caller, 'conv 1'))?.fields).toEqual({ b: { c: 2 }, d: 'x' });
    expect(await client.deleteWorkingMemory(caller, 'conv 1')).toBe(true);
    expect(await client.deleteWorkingMemory(caller, 'conv 1')).toBe(false);
  });

  it('throws the service refusal as an AppError with its status and code', async () => {
    const err = await client
      .putWorkingMemory(h.tokens.operator, 'conv-big', { pad: 'x'.repeat(70_000) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 413, code: 'working_memory_too_large' });
    await expect(client.putWorkingMemory(h.tokens.viewer, 'conv-v', { a: 1 })).rejects.toMatchObject({
      status: 403,
    });
  });

  it('acts on the tenant a service token names', async () => {
    await client.putWorkingMemory({ token: h.tokens.service, tenantId: 'acme' }, 'conv-s', { t: 'acme' });
    expect((await client.getWorkingMemory(h.tokens.acme, 'conv-s'))?.fields).toEqual({ t: 'acme' });
    expect(await client.getWorkingMemory(h.tokens.operator, 'conv-s')).toBeUndefined();
  });

  it('stores, lists and searches episodes', async () => {
    const stored = await client.storeEpisode(h.tokens.operator, {
      summary: 'Filed the R-32 exception for the flare at the north pad.',
      metadata: { conversation_id: 'conv-e', agent_id: 'flaring-agent', tags: ['r32'] },
    });
    expect(stored.metadata.tags).toEqual(['r32']);
    const page = await client.listEpisodes(h.tokens.operator, 'conv-e', { page_size: 5 });
    expect(page).toMatchObject({ total: 1, page_size: 5, data: [{ episode_id: stored.episode_id }] });
    const found = await client.searchEpisodes(h.tokens.operator, { query: 'flare exception', limit: 3 });
    expect(found.ranking).toBe('bm25');
    expect(found.data[0].episode_id).toBe(stored.episode_id);
  });

  it('checks and marks skills, and reads every injected skill', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `skill-${String(i).padStart(3, '0')}`);
    expect((await client.checkSkills(h.tokens.operator, 'conv-l', ['skill-000'])).not_injected).toEqual([
      'skill-000',
    ]);
    expect(
      (await client.markSkills(h.tokens.operator, 'conv-l', ids.slice(0, 100))).newly_marked,
    ).toHaveLength(100);
    const second = await client.markSkills(h.tokens.operator, 'conv-l', ids.slice(50, 150));
    expect(second.newly_marked).toHaveLength(50);
    expect(second.already_marked).toHaveLength(50);
    const all = await client.injectedSkills(h.tokens.operator, 'conv-l');
    expect(all.map((s) => s.skill_id).sort()).toEqual(ids);
  });

  it('is configured from MEMORY_URL (the registry port on loopback by default) and MEMORY_TIMEOUT_MS', async () => {
    const env = z.object(memoryClientEnv);
    expect(memoryClientSettings(env.parse({}))).toEqual({
      memoryUrl: 'http://127.0.0.1:8002',
      memoryTimeoutMs: 10_000,
    });
    const settings = memoryClientSettings(env.parse({ MEMORY_URL: `${h.url}/`, MEMORY_TIMEOUT_MS: '2000' }));
    expect(settings.memoryUrl).toBe(h.url);
    await memoryClientOf(settings).putWorkingMemory(h.tokens.operator, 'conv-env', { ok: true });
    expect((await client.getWorkingMemory(h.tokens.operator, 'conv-env'))?.fields).toEqual({ ok: true });
  });
});
