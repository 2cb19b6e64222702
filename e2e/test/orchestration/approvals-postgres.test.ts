import { describeWithPostgres } from '@aegis/testing';
import { approvalSuite } from './approval-suite';

describeWithPostgres(
  'agent runs that stop for an approval, through the gateway (orchestration store on PostgreSQL)',
  (url) => {
    approvalSuite(() => ({ orchestrationEnv: { DATABASE_URL: url() } }));
  },
);
