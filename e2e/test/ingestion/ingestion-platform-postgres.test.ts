import { describeIf, postgresAvailability, startPostgres, type PostgresServer } from '@aegis/e2e';
import { startIngestionPlatform } from './platform';
import { ingestionPlatformSuite } from './suite';

const pg = postgresAvailability();

describeIf(
  pg.available,
  'PostgreSQL server binaries',
  pg.reason ?? '',
)('ingestion through the gateway with its job store on PostgreSQL', () => {
  let server: PostgresServer | undefined;

  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  ingestionPlatformSuite(() =>
    startIngestionPlatform({
      ingestionDatabaseUrl: server!.url,
      ingestionEnv: { MAX_UPLOAD_BYTES: String(1024 * 1024) },
    }),
  );
});
