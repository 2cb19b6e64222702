import { DEFAULT_SAMPLES_DIR, loadConfig } from './config';

describe('loadConfig', () => {
  it('has local defaults and derives the auth endpoints from AUTH_URL', () => {
    const c = loadConfig({ AUTH_URL: 'http://127.0.0.1:9999/' });
    expect(c).toMatchObject({
      port: 8005,
      adminPort: 9005,
      databaseUrl: 'sqlite:.data/ingestion.db',
      jwksUrl: 'http://127.0.0.1:9999/auth/.well-known/jwks.json',
      revocationsUrl: 'http://127.0.0.1:9999/internal/revocations',
      knowledgeGraphUrl: 'http://127.0.0.1:8003',
      flaringMonitorUrl: 'http://127.0.0.1:8007',
      maxUploadBytes: 256 * 1024 * 1024,
      batchMaxItems: 5000,
      samplesDir: DEFAULT_SAMPLES_DIR,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ BATCH_MAX_ITEMS: '6000' })).toThrow(/BATCH_MAX_ITEMS/);
    expect(() => loadConfig({ MAX_UPLOAD_BYTES: 'lots' })).toThrow(/MAX_UPLOAD_BYTES/);
  });
});
