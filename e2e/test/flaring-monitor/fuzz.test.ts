import { each, type KnownFinding } from '../openapi/known-findings';
import { describeServiceFuzz } from '../openapi/fuzz-suite';
import { startFlaringPlatform } from './platform';

/** Schema-valid requests the flaring monitor rightly refuses (422 naming the field, nothing stored):
 * rules about stored data or another field of the same body, which a JSON schema cannot state. */
const ACCEPTED: readonly KnownFinding[] = [
  ...each(
    'positive_data_acceptance',
    422,
    'an event-type field’s values apply to enum fields only and its min/max must be values of its type',
    [
      'POST /api/v1/event-types',
      'POST /api/v1/event-types/{id}/fields',
      'PATCH /api/v1/event-types/{id}/fields/{field_id}',
    ],
  ),
  {
    operation: 'POST /api/v1/events',
    check: 'positive_data_acceptance',
    status: 422,
    reason:
      'an event names an active event type of the tenant, and its data is checked against that type’s fields',
  },
  ...each('positive_data_acceptance', 422, 'the period’s `to` must not be before its `from`', [
    'GET /api/v1/events',
    'GET /api/v1/flaring/alerts',
    'GET /api/v1/flare-events',
  ]),
  ...each(
    'positive_data_acceptance',
    422,
    'a well or authorisation named must exist in the tenant’s knowledge graph (this platform’s graph is empty)',
    [
      'POST /api/v1/flare-events',
      'POST /api/v1/flaring/assess',
      'GET /api/v1/flaring/burn-rate',
      'POST /api/v1/flaring/forecast',
      'POST /api/v1/flaring/emissions',
    ],
  ),
  // Also behind the emissions and forecast entries above: one of two fields is required
  // (`volume_mcf` or `well_id`; `authorization_id` or `well_id`), and a gas composition's mole
  // fractions must sum to 1 (±0.01).
];

describeServiceFuzz({
  title: 'the flaring-monitor API (flare events, flaring, events, event types)',
  start: async () => {
    const p = await startFlaringPlatform();
    return { base: p.base, token: p.tokens.admin, stop: () => p.stop() };
  },
  includePathRegex: '^/api/v1/(flaring|flare-events|events|event-types)(/|$)',
  // A stream never ends: its behaviour is covered by events-stream.test.ts.
  excludePaths: ['/api/v1/events/stream'],
  operations: 30,
  accepted: ACCEPTED,
});
