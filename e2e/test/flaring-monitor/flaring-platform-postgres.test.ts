import { describeWithPostgres } from '@aegis/testing';
import { startFlaringPlatform } from './platform';
import { flaringPlatformSuite } from './suite';

describeWithPostgres('flaring-monitor through the gateway with its store on PostgreSQL', (url) => {
  flaringPlatformSuite(() => startFlaringPlatform({ flaringDatabaseUrl: url() }));
});
