import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeIf, postgresAvailability, startPostgres, type PostgresServer } from '@aegis/e2e';
import { authStoreContract } from './contract';

const pg = postgresAvailability();

describe('auth store on SQLite (file in a temp dir)', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-auth-store-'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  authStoreContract(() => `sqlite:${path.join(dir, 'auth.db')}`);
});

describeIf(
  pg.available,
  'PostgreSQL server binaries',
  pg.reason ?? '',
)('auth store on PostgreSQL (throwaway server)', () => {
  let server: PostgresServer | undefined;

  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  authStoreContract(() => server!.url);
});
