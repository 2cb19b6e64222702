import {
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  toListParams,
  ValidationError,
  type ServiceApi,
} from '@aegis/common';
import { z } from 'zod';
import { checkpointIssues } from '../domain/checkpoints';
import { snapshotDigest } from '../domain/snapshot';
import { appendAuditEvent, approvalAudit } from '../operations/audit';
import { createApproval } from '../operations/create';
import { decideApproval } from '../operations/decide';
import type { OperationDeps } from '../operations/deps';
import { escalateApprovals } from '../operations/escalate';
import { updateSettings } from '../operations/settings';
import {
  approvalRow,
  APPROVAL_SORTABLE,
  listApprovals,
  snapshotOf,
  toApproval,
  votesOf,
} from '../store/approvals';
import { readSettings } from '../store/settings';
import {
  approvalSchema,
  approvalWithSnapshotSchema,
  auditEntrySchema,
  auditEventBody,
  auditSchema,
  createBody,
  decideBody,
  escalateBody,
  escalationSchema,
  listFilters,
  settingsBody,
  settingsSchema,
} from './schemas';

const listOptions = { sortable: APPROVAL_SORTABLE, defaultSort: 'created_at', defaultDir: 'desc' } as const;
const idParams = z.object({ id: z.string().min(1).max(200) });

/** The approval routes. Fixed paths (`/approvals/escalate`, `/approvals/settings`) are registered before
 * `/approvals/{id}`, so they are never read as an id. */
export function approvalRoutes(api: ServiceApi, deps: OperationDeps): void {
  const routes = api.group({ tags: ['approvals'] });

  routes.route({
    method: 'post',
    path: '/approvals/escalate',
    summary: 'Escalate timed-out pending approvals',
    description:
      'Pending approvals whose current assignment is `timeout_hours` old or older (exactly at the timeout included) are reassigned to `reassign_to` (default: the tenant’s escalation reviewer; none: only marked escalated), their escalation level grows and their timeout restarts. Each escalation is written to the audit trail. A scheduled sweep does the same with the tenant’s settings.',
    roles: ['admin', 'service'],
    body: escalateBody,
    responses: { 200: escalationSchema },
    handler: (_ctx, { body, identity, tenant }) =>
      escalateApprovals(deps, tenant, identity.userId, body ?? {}),
  });

  routes.route({
    method: 'get',
    path: '/approvals/settings',
    summary: 'The tenant’s escalation settings',
    roles: 'any',
    responses: { 200: settingsSchema },
    handler: (_ctx, { tenant }) => readSettings(deps.store, tenant),
  });

  routes.route({
    method: 'put',
    path: '/approvals/settings',
    summary: 'Replace the tenant’s escalation settings',
    description:
      'null timeout: ESCALATION_TIMEOUT_HOURS (24 by default); null reviewer: escalation does not reassign.',
    roles: ['admin'],
    body: settingsBody,
    responses: { 200: settingsSchema },
    handler: (_ctx, { body, identity, tenant }) => updateSettings(deps, tenant, identity.userId, body),
  });

  routes.route({
    method: 'post',
    path: '/approvals',
    summary: 'Create an approval (an agent run stopped at a checkpoint)',
    description:
      'The payload, the proposed action and the context are frozen into the approval’s snapshot, which never changes afterwards. The requester is the caller. The agent type must have the checkpoint (see CheckpointType); a filing checkpoint needs `payload.filing_type`; `named_individual` needs `reviewer_id`.',
    roles: ['operator'],
    body: createBody,
    responses: { 201: approvalSchema },
    handler: (_ctx, { body, identity, tenant }) => {
      const issues = checkpointIssues(body);
      if (issues.length > 0) throw new ValidationError(issues);
      return createApproval(deps, tenant, identity.userId, body);
    },
  });

  routes.route({
    method: 'get',
    path: '/approvals',
    summary: 'List approvals',
    roles: 'any',
    query: listQuerySchema(listOptions).extend(listFilters),
    responses: { 200: listEnvelopeSchema(approvalSchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, listOptions);
      const {
        page: _p,
        page_size: _ps,
        limit: _l,
        offset: _o,
        sort_by: _s,
        sort_dir: _d,
        sort_order: _so,
        ...filter
      } = query;
      const { rows, total } = await listApprovals(deps.store, tenant, filter, params);
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'get',
    path: '/approvals/{id}',
    summary: 'Read an approval with its frozen state snapshot',
    roles: 'any',
    params: idParams,
    responses: { 200: approvalWithSnapshotSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      const row = await approvalRow(deps.store, tenant, params.id);
      const votes = (await votesOf(deps.store, tenant, [row.approval_id])).get(row.approval_id) ?? [];
      const snapshot = snapshotOf(row);
      return { ...toApproval(row, votes), snapshot: { ...snapshot, digest: snapshotDigest(snapshot) } };
    },
  });

  routes.route({
    method: 'post',
    path: '/approvals/{id}/decide',
    summary: 'Decide an approval as the calling reviewer',
    description:
      'The reviewer is the caller (never a body field). `modified` carries `modifications` of the proposed action’s arguments. A decided approval answers 409 `already_decided`; of concurrent deciders exactly one wins. four_eyes: the first approval is recorded and the approval stays pending; a reviewer who already approved answers 409 `already_voted`; the requester answers 403 `self_approval`. named_individual: anyone but the named reviewer answers 403 `not_assigned_reviewer`.',
    roles: ['reviewer'],
    params: idParams,
    body: decideBody,
    responses: { 200: approvalSchema },
    errors: [404, 409],
    handler: (_ctx, { params, body, identity, tenant }) =>
      decideApproval(deps, tenant, params.id, identity.userId, body),
  });

  routes.route({
    method: 'get',
    path: '/approvals/{id}/audit',
    summary: 'The approval’s audit trail, verified',
    description:
      'Entries are HMAC-SHA256 chained per tenant (each mac covers the entry, its seq and the previous mac). `verified` is true when the tenant’s whole chain verifies (a deletion is only visible in the tenant’s sequence) and the approval’s snapshot still has the digest recorded at creation; otherwise `first_failure` names the first entry that fails and why.',
    roles: 'any',
    params: idParams,
    responses: { 200: auditSchema },
    errors: [404],
    handler: (_ctx, { params, tenant }) => approvalAudit(deps, tenant, params.id),
  });

  routes.route({
    method: 'post',
    path: '/approvals/{id}/audit',
    summary: 'Append an event about a granted approval to its audit trail',
    description:
      'For the service that carried out the granted action (the orchestration’s filings): `{event: filing_status_changed, data: {filing_id, from, to, changed_by?, reason?}}` is appended to the tenant’s HMAC chain as an entry of this approval, by the caller, and verified with the rest by `GET /approvals/{id}/audit`. 409 `approval_not_granted` unless the approval was approved (or modified).',
    roles: ['operator'],
    params: idParams,
    body: auditEventBody,
    responses: { 201: auditEntrySchema },
    errors: [404, 409],
    handler: (_ctx, { params, body, identity, tenant }) =>
      appendAuditEvent(deps, tenant, params.id, identity.userId, body),
  });
}
