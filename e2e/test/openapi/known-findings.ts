import type { Finding } from './schemathesis';

/** A fuzzer finding accepted for now, with why. `status` narrows it to one answered status. */
export interface KnownFinding {
  operation: string;
  check: string;
  status?: number;
  reason: string;
}

export const each = (
  check: string,
  status: number,
  reason: string,
  operations: readonly string[],
): KnownFinding[] => operations.map((operation) => ({ operation, check, status, reason }));

/**
 * Schema-valid requests the server rightly rejects, because the rule is about stored data, another
 * field of the same body, or the content of a file, which a JSON schema cannot state. Each one is a
 * 422 in the error shape naming the field (or row and column), and nothing is stored. Every other
 * constraint the services check is in the document, generated from the zod schemas they validate
 * with.
 */
const ACCEPTED_REJECTIONS: readonly KnownFinding[] = [
  ...each(
    'positive_data_acceptance',
    422,
    'an edge must name entities that exist (stored or in the same request)',
    ['POST /api/v1/edges', 'POST /api/v1/entities/bulk'],
  ),
  {
    operation: 'POST /api/v1/entities',
    check: 'positive_data_acceptance',
    status: 422,
    reason:
      'a Well needs entity_id or properties.api_number, and properties are checked against the tenant’s managed entity type',
  },
  ...each(
    'positive_data_acceptance',
    422,
    'a field definition’s pattern applies to strings only, and min/max/enum must be values of the field’s type',
    [
      'POST /api/v1/entity-types',
      'PATCH /api/v1/entity-types/{key}',
      'POST /api/v1/entity-types/{key}/fields',
      'PUT /api/v1/entity-types/{key}/fields/{name}',
    ],
  ),
  ...each(
    'positive_data_acceptance',
    422,
    'records are rows of the data type: its required columns and formats are checked row by row',
    ['POST /api/v1/extract', 'POST /api/v1/ingest/scada', 'POST /api/v1/ingest/operator/csv'],
  ),
  {
    operation: 'POST /api/v1/ingest/operator/csv',
    check: 'positive_data_acceptance',
    status: 400,
    reason:
      'a multipart body whose parts the parser cannot read (e.g. a part name that is not ASCII) is malformed',
  },
  {
    operation: 'POST /api/v1/entities/bulk',
    check: 'unsupported_method',
    status: 422,
    reason:
      'GET /entities/bulk is GET /entities/{label} with label "bulk", which is not an entity label (the path templates overlap)',
  },
];

export const KNOWN_FINDINGS: readonly KnownFinding[] = ACCEPTED_REJECTIONS;

export function matchesKnown(finding: Finding, known: readonly KnownFinding[] = KNOWN_FINDINGS): boolean {
  return known.some(
    (k) =>
      k.operation === finding.operation &&
      k.check === finding.check &&
      (k.status === undefined || k.status === finding.status),
  );
}
