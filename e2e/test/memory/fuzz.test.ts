import { describeServiceFuzz } from '../openapi/fuzz-suite';
import { startMemoryPlatform } from './platform';

/** The memory service is internal (no gateway routes), so its own document is fuzzed, with requests
 * sent to its port directly, authenticated as the local platform admin. */
describeServiceFuzz({
  title: 'the memory API (working memory, episodic memory, the injection ledger)',
  document: 'service',
  start: async () => {
    const p = await startMemoryPlatform();
    return { base: p.memoryUrl, token: p.admin, stop: () => p.stop() };
  },
  includePathRegex: '^/(working-memory|episodic|ledger)/',
  operations: 9,
  accepted: [],
});
