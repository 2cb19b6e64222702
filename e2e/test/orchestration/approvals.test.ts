import { approvalSuite } from './approval-suite';

describe('agent runs that stop for an approval, through the gateway (orchestration store on SQLite)', () => {
  approvalSuite(() => ({}));
});
