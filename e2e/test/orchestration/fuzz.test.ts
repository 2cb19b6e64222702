import { each, type KnownFinding } from '../openapi/known-findings';
import { describeServiceFuzz } from '../openapi/fuzz-suite';
import { startOrchestrationPlatform } from './platform';

/** Schema-valid requests the orchestration rightly refuses (in the error shape, nothing stored): rules
 * about stored data, which a JSON schema cannot state. */
const ACCEPTED: readonly KnownFinding[] = [
  ...each('positive_data_acceptance', 404, 'a conversation named must exist in the caller’s tenant', [
    'POST /api/v1/execute',
    'GET /api/v1/conversations/{conversation_id}',
    'PATCH /api/v1/conversations/{conversation_id}',
    'PUT /api/v1/conversations/{conversation_id}',
    'DELETE /api/v1/conversations/{conversation_id}',
    'GET /api/v1/conversations/{conversation_id}/messages',
    'GET /api/v1/conversations/{conversation_id}/runs',
    'GET /api/v1/conversations/{conversation_id}/runs/{run_id}',
    'POST /api/v1/conversations/{conversation_id}/cancel',
  ]),
  {
    operation: 'POST /api/v1/execute',
    check: 'positive_data_acceptance',
    status: 422,
    reason: 'a run continuing a conversation must be of the conversation’s agent type',
  },
  {
    operation: 'GET /api/v1/agents/{agent_id}',
    check: 'positive_data_acceptance',
    status: 404,
    reason: 'an agent id must name one of the defined agents',
  },
];

describeServiceFuzz({
  title: 'the orchestration API (agents, execute, conversations, runs)',
  start: async () => {
    const p = await startOrchestrationPlatform();
    return { base: p.base, token: p.admin.token, stop: () => p.stop() };
  },
  includePathRegex: '^/api/v1/(agents|execute|conversations)(/|$)',
  // A stream ends with its run (or never, when it follows): covered by answers.test.ts and limits.test.ts.
  excludePaths: ['/api/v1/conversations/{conversation_id}/stream'],
  operations: 14,
  maxExamples: 10,
  accepted: ACCEPTED,
});
