import { loadConfig } from './config';

describe('loadConfig (flaring-monitor)', () => {
  it('has local defaults: its registry ports, its SQLite file, auth and the knowledge graph on loopback', () => {
    const c = loadConfig({
      AUTH_URL: 'http://127.0.0.1:9999/',
      KNOWLEDGE_GRAPH_URL: 'http://kg.local:8003/',
    });
    expect(c).toMatchObject({
      port: 8007,
      adminPort: 9007,
      databaseUrl: 'sqlite:.data/flaring-monitor.db',
      authUrl: 'http://127.0.0.1:9999',
      jwksUrl: 'http://127.0.0.1:9999/auth/.well-known/jwks.json',
      knowledgeGraphUrl: 'http://kg.local:8003',
      kgTimeoutMs: 30_000,
    });
    expect(loadConfig({}).knowledgeGraphUrl).toBe('http://127.0.0.1:8003');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('seeds the demo flare events locally unless told not to, and never in production', () => {
    expect(loadConfig({}).seedDemoData).toBe(true);
    expect(loadConfig({ SEED_DEMO_DATA: 'false' }).seedDemoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO_DATA: 'true' }).seedDemoData).toBe(false);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ KG_TIMEOUT_MS: 'soon' })).toThrow(/KG_TIMEOUT_MS/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});
