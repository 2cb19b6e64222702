import type { Finding } from './schemathesis';

/** A fuzzer finding accepted for now, with why. `status` narrows it to one answered status. */
export interface KnownFinding {
  operation: string;
  check: string;
  status?: number;
  reason: string;
}

const each = (check: string, status: number, reason: string, operations: readonly string[]): KnownFinding[] =>
  operations.map((operation) => ({ operation, check, status, reason }));

/**
 * Findings whose cause is a service's own hand-written OpenAPI document (it says less than the
 * service's validation checks). They go away when each service's document is generated from the
 * zod schemas that validate its requests (issue 9, deliverable 3): remove the entries then; the
 * suite prints the ones that no longer reproduce.
 */
const SERVICE_DOCUMENT_FINDINGS: readonly KnownFinding[] = [
  // A malformed JSON body is answered 400 malformed_json (spec §5) by the services' body parser; the
  // operations with a JSON body and no path parameter do not list 400.
  ...each('status_code_conformance', 400, 'malformed JSON body → 400, not documented', [
    'POST /api/v1/auth/token',
    'POST /api/v1/auth/users',
    'POST /api/v1/auth/validate',
    'POST /api/v1/edges',
    'POST /api/v1/entities',
    'POST /api/v1/entities/bulk',
    'POST /api/v1/entity-types',
    'POST /api/v1/extract',
    'POST /api/v1/ingest/rrc-scrape',
    'POST /api/v1/ingest/scada',
    'POST /api/v1/query',
    'POST /api/v1/seed',
  ]),
  // 422 answers the operation does not list.
  ...each('status_code_conformance', 422, 'validation error → 422, not documented', [
    'GET /api/v1/entities/{label}/{entity_id}', // path label outside the entity labels
    'DELETE /api/v1/entities/{label}/{entity_id}', // same
    'GET /api/v1/entity-types/{key}/fields', // sort_order outside asc/desc
    'POST /api/v1/auth/validate', // token of another type than string
  ]),
  // Schema-valid requests answered 422: the document lacks the constraint the service checks
  // (label enums on path parameters, minLength/minItems, patterns of identifiers, maxima of paging,
  // a required request body, template-specific query params).
  ...each('positive_data_acceptance', 422, 'the document lacks a constraint the service enforces', [
    'DELETE /api/v1/edges/{edge_id}',
    'DELETE /api/v1/entities/{label}/{entity_id}',
    'GET /api/v1/context/assemble/{well_api}',
    'GET /api/v1/edges/{label}/{entity_id}',
    'GET /api/v1/entities/{label}',
    'GET /api/v1/entities/{label}/{entity_id}',
    'GET /api/v1/entity-types',
    'GET /api/v1/graph/{label}/{entity_id}',
    'GET /api/v1/impact/inward/{label}/{entity_id}',
    'GET /api/v1/impact/outward/{label}/{entity_id}',
    'GET /api/v1/impact/tree',
    'GET /api/v1/impact/{label}/{entity_id}',
    'GET /api/v1/ingest/jobs',
    'PATCH /api/v1/auth/users/{id}',
    'PATCH /api/v1/entity-types/{key}',
    'POST /api/v1/auth/token',
    'POST /api/v1/auth/users',
    'POST /api/v1/auth/validate',
    'POST /api/v1/edges',
    'POST /api/v1/entities',
    'POST /api/v1/entity-types',
    'POST /api/v1/entity-types/{key}/fields',
    'POST /api/v1/extract',
    'POST /api/v1/ingest/operator/csv',
    'POST /api/v1/ingest/rrc-scrape',
    'POST /api/v1/ingest/scada',
    'POST /api/v1/query',
    'PUT /api/v1/entities/Well/{entity_id}/production',
    'PUT /api/v1/entities/{label}/{entity_id}',
    'PUT /api/v1/entity-types/{key}/fields/{name}',
  ]),
  {
    operation: 'GET /api/v1/auth/forward-auth',
    check: 'unsupported_method',
    status: 200,
    reason: 'answers any method (spec §2: ANY /auth/forward-auth); the document lists GET only',
  },
  {
    operation: 'POST /api/v1/ingest/operator/csv',
    check: 'positive_data_acceptance',
    status: 400,
    reason:
      'a form part whose name has non-ASCII characters is refused as malformed_multipart; the document allows any extra part',
  },
];

/** Schema-valid requests the server rightly rejects, because no schema can say why. */
const ACCEPTED_REJECTIONS: readonly KnownFinding[] = [
  {
    operation: 'POST /api/v1/entities/bulk',
    check: 'positive_data_acceptance',
    status: 422,
    reason: 'an edge naming an entity that does not exist (neither stored nor in the same request)',
  },
];

export const KNOWN_FINDINGS: readonly KnownFinding[] = [...SERVICE_DOCUMENT_FINDINGS, ...ACCEPTED_REJECTIONS];

export function matchesKnown(finding: Finding, known: readonly KnownFinding[] = KNOWN_FINDINGS): boolean {
  return known.some(
    (k) =>
      k.operation === finding.operation &&
      k.check === finding.check &&
      (k.status === undefined || k.status === finding.status),
  );
}
