import { loadConfig } from './config';

describe('knowledge-graph config', () => {
  it('defaults to port 8003, embedded SQLite and the local auth service', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8003,
      adminPort: 9003,
      databaseUrl: 'sqlite:.data/knowledge-graph.db',
      jwksUrl: 'http://127.0.0.1:8009/auth/.well-known/jwks.json',
      revocationsUrl: 'http://127.0.0.1:8009/internal/revocations',
      seedDemoData: true,
    });
  });

  it('never seeds demo data in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemoData).toBe(false);
    expect(loadConfig({ SEED_DEMO_DATA: 'false' }).seedDemoData).toBe(false);
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL:/);
  });
});
