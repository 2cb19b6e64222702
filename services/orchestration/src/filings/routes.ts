import { listEnvelope, listEnvelopeSchema, sendDownload, toListParams, type ServiceApi } from '@aegis/common';
import { readFiling } from './produce';
import {
  filingListOptions,
  filingListQuery,
  filingParams,
  filingSummary,
  filingView,
  TRANSITION_ROLES,
  transitionBody,
} from './schemas';
import { getFilingRow, listFilingRows } from './store/filings';
import type { FilingsStore } from './store/schema';
import { transitionFiling } from './transition';
import { filingSummaryView } from './views';
import type { FilingAuditDeps } from './audit';

export interface FilingRouteDeps extends FilingAuditDeps {
  store: FilingsStore;
  now: () => number;
}

/**
 * The filing routes (spec §8 "Filings"): the packages produced when a checklist's approval is granted,
 * their documents and their lifecycle. Reads: any role of the tenant; transitions: operator or
 * reviewer (approving one in review: reviewer).
 */
export function filingsRoutes(api: ServiceApi, deps: FilingRouteDeps): void {
  const routes = api.group({ tags: ['filings'] });

  routes.route({
    method: 'get',
    path: '/compliance/filings',
    summary: 'List filing packages',
    description:
      'Filters `status`, `form_type` (R-32, W-1), `entity_id` (an API number in any written form, or a lease id), `checklist_id`; `sort_by` one of created_at (default, newest first), updated_at, status, form_type, entity_id.',
    roles: 'any',
    query: filingListQuery,
    responses: { 200: listEnvelopeSchema(filingSummary) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, filingListOptions);
      const { rows, total } = await listFilingRows(deps.store, tenant, query, params);
      return listEnvelope(rows.map(filingSummaryView), total, params);
    },
  });

  routes.route({
    method: 'get',
    path: '/compliance/filings/{id}',
    summary: 'Read a filing package with the data it was built from and its history',
    roles: 'any',
    params: filingParams,
    responses: { 200: filingView },
    errors: [404],
    handler: (_ctx, { params, tenant }) => readFiling(deps, tenant, params.id),
  });

  routes.route({
    method: 'get',
    path: '/compliance/filings/{id}/document',
    summary: 'Download the filing’s PDF',
    description:
      'The document rendered when the package was produced, byte for byte: `application/pdf`, `Content-Disposition: attachment`, `ETag` (its SHA-256; `If-None-Match` answers 304) and `Repr-Digest: sha-256=:<base64>:` (RFC 9530).',
    roles: 'any',
    params: filingParams,
    responses: {
      200: {
        description: 'The PDF',
        content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
      },
      304: { description: 'The client’s copy (If-None-Match) is current' },
    },
    errors: [404],
    handler: async (ctx, { params, tenant }) => {
      const row = await getFilingRow(deps.store, tenant, params.id);
      if (!row) return readFiling(deps, tenant, params.id); // 404 in the one shape
      const etag = `"${row.document_sha256}"`;
      ctx.set('ETag', etag);
      ctx.set('Cache-Control', 'private, no-cache');
      if (
        ctx
          .get('If-None-Match')
          .split(/\s*,\s*/)
          .includes(etag)
      ) {
        ctx.status = 304;
        return undefined;
      }
      const bytes = Buffer.from(row.document, 'base64');
      sendDownload(ctx, {
        body: bytes,
        type: 'application/pdf',
        length: bytes.length,
        filename: `${row.form_type}-${row.filing_id}.pdf`,
        sha256: row.document_sha256,
      });
      return undefined;
    },
  });

  routes.route({
    method: 'post',
    path: '/compliance/filings/{id}/transition',
    summary: 'Move a filing through its lifecycle',
    description:
      'draft → in_review | rejected; in_review → approved (reviewer) | draft | rejected; approved → submitted | rejected; rejected → draft; submitted is final. Anything else: 409 `illegal_transition`, nothing changes. Every change is written to the approval’s audit trail (approvals service) as `filing_status_changed`.',
    roles: TRANSITION_ROLES,
    params: filingParams,
    body: transitionBody,
    responses: { 200: filingView },
    errors: [404, 409],
    handler: (_ctx, { params, body, identity, tenant }) =>
      transitionFiling(deps, tenant, identity, params.id, body),
  });
}
