import { startFlaringPlatform } from './platform';
import { flaringPlatformSuite } from './suite';

describe('flaring-monitor through the gateway (auth, knowledge graph, flaring-monitor on SQLite)', () => {
  flaringPlatformSuite(() => startFlaringPlatform());
});
