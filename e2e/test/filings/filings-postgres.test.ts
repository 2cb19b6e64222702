import { describeWithPostgres } from '@aegis/testing';
import { useOrchestrationPlatform } from '../orchestration/platform';
import { filingFlowSuite } from './flow-suite';

describeWithPostgres('the filing flow through the gateway (orchestration store on PostgreSQL)', (url) => {
  filingFlowSuite(useOrchestrationPlatform(() => ({ orchestrationEnv: { DATABASE_URL: url() } })));
});
