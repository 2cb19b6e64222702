import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '@aegis/common';
import { describeIf, postgresAvailability, startPostgres, type PostgresServer } from '@aegis/testing';
import { graphCoreContract } from './contract-core';
import { graphQueryContract } from './contract-queries';

const pg = postgresAvailability();

describe('knowledge graph on SQLite', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-kg-'));
    store = await openStore({ url: `sqlite:${path.join(dir, 'kg.db')}` });
  });

  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  graphCoreContract(() => store);
  graphQueryContract(() => store);
});

describeIf(
  pg.available,
  'PostgreSQL',
  pg.reason ?? '',
)('knowledge graph on PostgreSQL', () => {
  let server: PostgresServer;
  let store: Store;

  beforeAll(async () => {
    server = await startPostgres();
    store = await openStore({ url: server.url });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  graphCoreContract(() => store);
  graphQueryContract(() => store);
});
