import { describeServiceFuzz } from '../openapi/fuzz-suite';
import { startCompliancePlatform } from './platform';

describeServiceFuzz({
  title: 'the compliance API',
  start: async () => {
    const p = await startCompliancePlatform();
    return { base: p.base, token: p.admin.token, stop: () => p.stop() };
  },
  includePathRegex: '^/api/v1/compliance/',
  operations: 5,
});
