import { loadConfig } from './config';

describe('loadConfig (memory)', () => {
  it('has local defaults: loopback, its registry ports, its SQLite file, the store for working memory, no embeddings', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8002,
      adminPort: 9002,
      databaseUrl: 'sqlite:.data/memory.db',
      jwksUrl: 'http://127.0.0.1:8009/auth/.well-known/jwks.json',
      redisUrl: undefined,
      workingMemoryTtlSeconds: 86_400,
      embeddings: undefined,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads Redis and an embeddings endpoint', () => {
    const c = loadConfig({
      REDIS_URL: 'redis://cache:6379/2',
      EMBEDDINGS_URL: 'https://api.example/v1/',
      EMBEDDINGS_MODEL: 'text-embedding-3-small',
      EMBEDDINGS_API_KEY: 'sk-x',
      WORKING_MEMORY_TTL_SECONDS: '60',
    });
    expect(c).toMatchObject({
      redisUrl: 'redis://cache:6379/2',
      workingMemoryTtlSeconds: 60,
      embeddings: {
        url: 'https://api.example/v1',
        model: 'text-embedding-3-small',
        apiKey: 'sk-x',
        timeoutMs: 10_000,
      },
    });
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ EMBEDDINGS_URL: 'https://api.example/v1' })).toThrow(/EMBEDDINGS_MODEL/);
    expect(() => loadConfig({ EMBEDDINGS_URL: 'ftp://x', EMBEDDINGS_MODEL: 'm' })).toThrow(/EMBEDDINGS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'cache:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ WORKING_MEMORY_TTL_SECONDS: '0' })).toThrow(/WORKING_MEMORY_TTL_SECONDS/);
  });
});
