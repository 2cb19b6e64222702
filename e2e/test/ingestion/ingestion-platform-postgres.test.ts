import { describeWithPostgres } from '@aegis/testing';
import { startIngestionPlatform } from './platform';
import { ingestionPlatformSuite } from './suite';

describeWithPostgres('ingestion through the gateway with its job store on PostgreSQL', (url) => {
  ingestionPlatformSuite(() =>
    startIngestionPlatform({
      ingestionDatabaseUrl: url(),
      ingestionEnv: { MAX_UPLOAD_BYTES: String(1024 * 1024) },
    }),
  );
});
