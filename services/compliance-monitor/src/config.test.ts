import { loadConfig } from './config';

describe('loadConfig', () => {
  it('has local defaults: the registry ports, the neighbours at their well-known ports, a 5-minute sweep', () => {
    const c = loadConfig({ AUTH_URL: 'http://127.0.0.1:9999/' });
    expect(c).toMatchObject({
      port: 8006,
      adminPort: 9006,
      databaseUrl: 'sqlite:.data/compliance-monitor.db',
      authUrl: 'http://127.0.0.1:9999',
      jwksUrl: 'http://127.0.0.1:9999/auth/.well-known/jwks.json',
      knowledgeGraphUrl: 'http://127.0.0.1:8003',
      flaringMonitorUrl: 'http://127.0.0.1:8007',
      sweepIntervalMs: 300_000,
      serviceClientSecret: '',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ SWEEP_INTERVAL_MS: '-1' })).toThrow(/SWEEP_INTERVAL_MS/);
    expect(() => loadConfig({ KG_TIMEOUT_MS: 'soon' })).toThrow(/KG_TIMEOUT_MS/);
  });
});
