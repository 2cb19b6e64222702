import { sendDownload, type ServiceApi } from '@aegis/common';
import { z } from 'zod';
import {
  deleteArtifact,
  getArtifact,
  listArtifacts,
  readArtifact,
  uploadArtifact,
  type ArtifactOpsDeps,
} from '../artifacts';
import { artifactParams, artifactView, checklistParams, itemParams, WRITE_ROLES } from './schemas';

/** Upload, list, read, download and delete of an item's artifacts. */
export function artifactRoutes(api: ServiceApi, deps: ArtifactOpsDeps): void {
  const routes = api.group({ tags: ['checklists'] });
  const listOf = z.object({ data: z.array(artifactView), total: z.number().int() });

  routes.route({
    method: 'post',
    path: '/checklists/{id}/items/{idx}/artifacts',
    summary: 'Upload an artifact for an item (multipart, streamed)',
    description: `multipart/form-data with one \`file\` part, streamed to storage (never held in memory) and stored with its size, media type (the part's Content-Type) and SHA-256. Larger than ARTIFACT_MAX_BYTES (default ${25 * 1024 * 1024} bytes): 413 and nothing stored.`,
    roles: WRITE_ROLES,
    params: itemParams,
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ file: z.string().meta({ format: 'binary' }) }),
        },
      },
    },
    responses: { 201: artifactView },
    errors: [400, 404, 409, 413, 415],
    handler: async (ctx, { params, identity, tenant }) => {
      const artifact = await uploadArtifact(deps, ctx, tenant, identity.userId, params.id, params.idx);
      ctx.status = 201;
      ctx.set('Location', artifact.content_url.replace(/\/content$/, ''));
      return artifact;
    },
  });

  routes.route({
    method: 'get',
    path: '/checklists/{id}/items/{idx}/artifacts',
    summary: 'List the artifacts of an item',
    roles: 'any',
    params: itemParams,
    responses: { 200: listOf },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      const data = await listArtifacts(deps, tenant, params.id, params.idx);
      return { data, total: data.length };
    },
  });

  routes.route({
    method: 'get',
    path: '/checklists/{id}/artifacts',
    summary: 'List every artifact of a checklist',
    roles: 'any',
    params: checklistParams,
    responses: { 200: listOf },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      const data = await listArtifacts(deps, tenant, params.id);
      return { data, total: data.length };
    },
  });

  routes.route({
    method: 'get',
    path: '/checklists/{id}/items/{idx}/artifacts/{artifact_id}',
    summary: 'Read an artifact’s record (size, media type, SHA-256)',
    roles: 'any',
    params: artifactParams,
    responses: { 200: artifactView },
    errors: [404],
    handler: (_ctx, { params, tenant }) =>
      getArtifact(deps, tenant, params.id, params.idx, params.artifact_id),
  });

  routes.route({
    method: 'get',
    path: '/checklists/{id}/items/{idx}/artifacts/{artifact_id}/content',
    summary: 'Download an artifact',
    description:
      'The stored bytes with their media type, length, `Content-Disposition: attachment` and `Repr-Digest: sha-256=:<base64>:` (RFC 9530) so a client can check them.',
    roles: 'any',
    params: artifactParams,
    responses: {
      200: {
        description: 'The artifact',
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
    },
    errors: [404],
    handler: async (ctx, { params, tenant }) => {
      const { artifact, body } = await readArtifact(deps, tenant, params.id, params.idx, params.artifact_id);
      sendDownload(ctx, {
        body,
        type: artifact.media_type,
        length: artifact.size_bytes,
        filename: artifact.filename,
        sha256: artifact.sha256,
      });
      return undefined;
    },
  });

  routes.route({
    method: 'delete',
    path: '/checklists/{id}/items/{idx}/artifacts/{artifact_id}',
    summary: 'Delete an artifact',
    description:
      'Removes the record and the bytes. A required document item left without artifacts goes back from complete to in_progress.',
    roles: WRITE_ROLES,
    params: artifactParams,
    responses: { 204: null },
    errors: [404, 409],
    handler: async (ctx, { params, identity, tenant }) => {
      await deleteArtifact(deps, tenant, identity.userId, params.id, params.idx, params.artifact_id);
      ctx.status = 204;
      return undefined;
    },
  });
}
