import { type KnownFinding } from '../openapi/known-findings';
import { describeServiceFuzz } from '../openapi/fuzz-suite';
import { startApprovalsPlatform } from './platform';

/** Schema-valid requests the approvals service rightly refuses: rules across fields or about stored
 * data, which a JSON schema cannot state. */
const ACCEPTED: readonly KnownFinding[] = [
  {
    operation: 'POST /api/v1/approvals',
    check: 'positive_data_acceptance',
    status: 422,
    reason:
      'the agent type must have the checkpoint, a filing checkpoint needs payload.filing_type, and named_individual needs reviewer_id',
  },
  {
    operation: 'POST /api/v1/approvals/{id}/decide',
    check: 'positive_data_acceptance',
    status: 422,
    reason: 'modifications go with decision modified only, and name arguments of the stored proposed action',
  },
];

describeServiceFuzz({
  title: 'the approvals API',
  start: async () => {
    const p = await startApprovalsPlatform();
    return { base: p.base, token: p.admin.token, stop: () => p.stop() };
  },
  includePathRegex: '^/api/v1/approvals(/|$)',
  // A stream never ends: its behaviour is covered by services/approvals escalation-outbox tests.
  excludePaths: ['/api/v1/approvals/outbox/stream'],
  operations: 11,
  accepted: ACCEPTED,
});
