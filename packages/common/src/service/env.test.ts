import path from 'node:path';
import { loadEnv } from '../config/load';
import { DEFAULT_DATA_DIR, localStoreUrl, serviceEnvSchema, serviceSettings } from './env';

const settings = (env: NodeJS.ProcessEnv, service = 'widgets') =>
  serviceSettings(loadEnv(serviceEnvSchema(service, { port: 8100, adminPort: 9100 }), env));

describe('serviceEnv: AEGIS_DATA_DIR and DATABASE_URL', () => {
  it('keeps each service’s SQLite file under .data by default', () => {
    expect(DEFAULT_DATA_DIR).toBe('.data');
    expect(settings({})).toMatchObject({ dataDir: '.data', databaseUrl: 'sqlite:.data/widgets.db' });
    expect(settings({ AEGIS_DATA_DIR: '' }).databaseUrl).toBe('sqlite:.data/widgets.db');
  });

  it('places the service’s file in AEGIS_DATA_DIR, relative or absolute', () => {
    expect(settings({ AEGIS_DATA_DIR: '/var/lib/aegis' })).toMatchObject({
      dataDir: '/var/lib/aegis',
      databaseUrl: 'sqlite:/var/lib/aegis/widgets.db',
    });
    expect(settings({ AEGIS_DATA_DIR: 'tmp/run-1/' }, 'auth').databaseUrl).toBe('sqlite:tmp/run-1/auth.db');
    expect(settings({ AEGIS_DATA_DIR: '/srv/data' }, 'knowledge-graph').databaseUrl).toBe(
      `sqlite:${path.join('/srv/data', 'knowledge-graph.db')}`,
    );
  });

  it('lets the service’s own DATABASE_URL win', () => {
    const env = { AEGIS_DATA_DIR: '/var/lib/aegis', DATABASE_URL: 'postgres://db/aegis' };
    expect(settings(env)).toMatchObject({ dataDir: '/var/lib/aegis', databaseUrl: 'postgres://db/aegis' });
    expect(settings({ DATABASE_URL: 'sqlite::memory:' }).databaseUrl).toBe('sqlite::memory:');
  });

  it('builds the same URL as localStoreUrl, the one place that names the file', () => {
    expect(settings({ AEGIS_DATA_DIR: 'x' }).databaseUrl).toBe(localStoreUrl('x', 'widgets'));
  });
});
