import {
  listEnvelope,
  listEnvelopeSchema,
  listInMemory,
  toListParams,
  type Role,
  type ServiceApi,
} from '@aegis/common';
import { graphCaller } from '@aegis/graph-client';
import type { ArtifactOpsDeps } from '../artifacts';
import { createChecklist, getChecklist, listChecklists, patchChecklist, patchItem } from '../operations';
import { recordException, rejectChecklist, submitChecklist, type SubmitDeps } from '../submit';
import { artifactRoutes } from './artifacts';
import {
  checklistListOptions,
  checklistListQuery,
  checklistParams,
  checklistSummary,
  checklistView,
  createBody,
  exceptionBody,
  itemParams,
  itemPatchBody,
  patchBody,
  rejectBody,
  submitBody,
  templateListOptions,
  templateListQuery,
  templateView,
  WRITE_ROLES,
} from './schemas';

export type ChecklistRouteDeps = ArtifactOpsDeps & SubmitDeps;

/** Returning a checklist before submission: the preparer or a reviewer. */
const REJECT_ROLES: Role[] = ['operator', 'reviewer'];

/**
 * The checklist routes (spec §8 "Checklists"): templates, checklists, items, artifacts, submit,
 * exception and reject. Register on the orchestration's ServiceApi; the upload route reads its own
 * body, so the app must pass `rawBodyPaths: api.rawBodyRoutes()` to `createServiceApp`.
 */
export function checklistRoutes(api: ServiceApi, deps: ChecklistRouteDeps): void {
  const routes = api.group({ tags: ['checklists'] });

  routes.route({
    method: 'get',
    path: '/checklist-templates',
    summary: 'List checklist templates',
    description:
      'The filing checklist templates (Form R-32 flaring exception, Form W-1 with a Rule 37 exception): each item with its type, whether it is required and the tool that can assess it. The newest version of each unless `all_versions=true`.',
    roles: 'any',
    query: templateListQuery,
    responses: { 200: listEnvelopeSchema(templateView) },
    handler: (_ctx, { query }) => {
      const all = deps.templates.list();
      const newest =
        query.all_versions === 'true' ? all : all.filter((t) => deps.templates.get(t.template_id) === t);
      const rows = newest
        .filter((t) => query.form_type === undefined || t.form_type === query.form_type)
        .filter((t) => query.agent_type === undefined || t.agent_type === query.agent_type)
        .map((t) => ({ ...t, items: t.items.map((item, index) => ({ index, ...item })) }));
      return listInMemory(rows, toListParams(query, templateListOptions));
    },
  });

  routes.route({
    method: 'post',
    path: '/checklists',
    summary: 'Create a checklist from a template for a well or lease',
    description:
      'The entity must exist in the knowledge graph (422 `entity_id` otherwise). An API number is a well (stored normalised, 14 digits); other ids are leases where the template takes leases.',
    roles: WRITE_ROLES,
    body: createBody,
    responses: { 201: checklistView },
    errors: [502],
    handler: (ctx, { body, identity, tenant }) =>
      createChecklist(deps, tenant, identity.userId, body, () => graphCaller(ctx, tenant)),
  });

  routes.route({
    method: 'get',
    path: '/checklists',
    summary: 'List checklists',
    roles: 'any',
    query: checklistListQuery,
    responses: { 200: listEnvelopeSchema(checklistSummary) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, checklistListOptions);
      const { rows, total } = await listChecklists(deps, tenant, query, params);
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'get',
    path: '/checklists/{id}',
    summary: 'Read a checklist with its items and exceptions',
    roles: 'any',
    params: checklistParams,
    responses: { 200: checklistView },
    errors: [404],
    handler: (_ctx, { params, tenant }) => getChecklist(deps, tenant, params.id),
  });

  routes.route({
    method: 'patch',
    path: '/checklists/{id}',
    summary: 'Change a checklist’s title or notes',
    roles: WRITE_ROLES,
    params: checklistParams,
    body: patchBody,
    responses: { 200: checklistView },
    errors: [404, 409],
    handler: (_ctx, { params, body, tenant }) => patchChecklist(deps, tenant, params.id, body),
  });

  routes.route({
    method: 'patch',
    path: '/checklists/{id}/items/{idx}',
    summary: 'Change an item’s status or notes',
    description:
      'Status transitions: pending → in_progress | complete | not_applicable; in_progress → pending | complete | not_applicable; complete → in_progress; not_applicable → pending; exception → pending (withdraws it). A required item is never not_applicable (record an exception), a required document is complete only with an artifact, and items change only while the checklist is open or rejected. Anything else: 409.',
    roles: WRITE_ROLES,
    params: itemParams,
    body: itemPatchBody,
    responses: { 200: checklistView },
    errors: [404, 409],
    handler: (_ctx, { params, body, identity, tenant }) =>
      patchItem(deps, tenant, identity.userId, params.id, params.idx, body),
  });

  routes.route({
    method: 'post',
    path: '/checklists/{id}/submit',
    summary: 'Submit a checklist for review (creates a pre_filing approval)',
    description:
      'Every required item must be complete or under an exception (409 `checklist_incomplete` naming the others). Creates a `pre_filing` approval (approvals service) on behalf of the caller, with the items, exceptions and artifact SHA-256 hashes frozen in its snapshot; the checklist goes to `in_review` with its `approval_id`. When the approval is decided the checklist becomes `approved` or `rejected`.',
    roles: WRITE_ROLES,
    params: checklistParams,
    body: submitBody,
    responses: { 200: checklistView },
    errors: [404, 409, 502],
    handler: (_ctx, { params, body, identity, tenant }) =>
      submitChecklist(deps, tenant, identity.userId, params.id, body ?? {}),
  });

  routes.route({
    method: 'post',
    path: '/checklists/{id}/exception',
    summary: 'Record an exception for an item or the checklist',
    description:
      'With `item_index`: the item (not complete) becomes `exception` with the reason, and counts as settled for submission. Without: a note on the whole checklist the reviewer sees.',
    roles: WRITE_ROLES,
    params: checklistParams,
    body: exceptionBody,
    responses: { 201: checklistView },
    errors: [404, 409],
    handler: (_ctx, { params, body, identity, tenant }) =>
      recordException(deps, tenant, identity.userId, params.id, body),
  });

  routes.route({
    method: 'post',
    path: '/checklists/{id}/reject',
    summary: 'Return an open checklist (rejected, with a reason)',
    description:
      'Only before submission; a checklist in review is decided through its approval (409 naming it). A rejected checklist can be reworked and submitted again.',
    roles: REJECT_ROLES,
    params: checklistParams,
    body: rejectBody,
    responses: { 200: checklistView },
    errors: [404, 409],
    handler: (_ctx, { params, body, tenant }) => rejectChecklist(deps, tenant, params.id, body),
  });

  artifactRoutes(api, deps);
}
