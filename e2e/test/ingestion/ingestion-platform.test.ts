import { startIngestionPlatform } from './platform';
import { ingestionPlatformSuite } from './suite';

describe('ingestion through the gateway (auth, knowledge graph, ingestion on SQLite)', () => {
  ingestionPlatformSuite(() =>
    startIngestionPlatform({ ingestionEnv: { MAX_UPLOAD_BYTES: String(1024 * 1024) } }),
  );
});
