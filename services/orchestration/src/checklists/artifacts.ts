import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ConflictError, NotFoundError, receiveUpload } from '@aegis/common';
import type { Context } from 'koa';
import { newId, requireChecklist, assertEditable, type ChecklistOpsDeps } from './operations';
import { spoolToFile } from './storage/spool';
import type { ArtifactStore } from './storage/factory';
import {
  artifactRows,
  deleteArtifactRow,
  getArtifactRow,
  insertArtifact,
  type ArtifactRow,
} from './store/artifacts';
import { itemRows, touchChecklist, updateItem } from './store/checklists';
import type { ChecklistsDb } from './store/schema';
import { artifactView, type ArtifactView } from './views';

export interface ArtifactOpsDeps extends ChecklistOpsDeps {
  artifacts: ArtifactStore;
  /** Largest artifact (bytes): `ARTIFACT_MAX_BYTES`. */
  artifactMaxBytes: number;
}

/** Room for the multipart framing around the file (boundaries, part headers, a few small fields). */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** The storage key of an artifact: generated, never from the client. */
const storageKey = (tenant: string, checklistId: string, artifactId: string) =>
  [tenant, checklistId, artifactId].map(encodeURIComponent).join('/');

async function requireItem(db: ChecklistsDb, tenant: string, checklistId: string, index: number) {
  const row = await requireChecklist(db, tenant, checklistId);
  const item = (await itemRows(db, tenant, [checklistId])).find((i) => Number(i.item_index) === index);
  if (!item) throw new NotFoundError(`Checklist ${checklistId} has no item ${index}`);
  return { row, item };
}

/**
 * `POST …/items/{idx}/artifacts`: the `file` part of a multipart form streamed to a spool file while
 * it is counted and hashed (SHA-256), then stored (local rename or S3 PUT) and recorded. Over
 * `artifactMaxBytes` → 413 and nothing stored: the spool file is removed, the storage never sees it.
 * The checklist must be editable before the body is read and still be when the row is written; a
 * failure after the bytes were stored removes them again.
 */
export async function uploadArtifact(
  deps: ArtifactOpsDeps,
  ctx: Context,
  tenant: string,
  userId: string,
  checklistId: string,
  index: number,
): Promise<ArtifactView> {
  const { row } = await requireItem(deps.store, tenant, checklistId, index);
  assertEditable(row);
  return receiveUpload(
    ctx,
    { maxBytes: deps.artifactMaxBytes + FORM_OVERHEAD_BYTES, fileField: 'file' },
    async (part) => {
      const spooled = await spoolToFile(part.stream, {
        dir: deps.artifacts.spoolDir,
        maxBytes: deps.artifactMaxBytes,
        mediaType: part.mimeType || 'application/octet-stream',
        signal: part.signal,
      });
      const artifactId = newId('art');
      const key = storageKey(tenant, checklistId, artifactId);
      let stored = false;
      try {
        await part.formComplete;
        await deps.artifacts.storage.put(key, spooled);
        stored = true;
        const at = new Date(deps.now()).toISOString();
        const record: ArtifactRow = {
          artifact_id: artifactId,
          tenant_id: tenant,
          checklist_id: checklistId,
          item_index: index,
          filename: cleanFilename(part.filename),
          media_type: spooled.mediaType,
          size_bytes: spooled.size,
          sha256: spooled.sha256,
          storage_key: key,
          created_by: userId,
          created_at: at,
        };
        await deps.store.transaction(async (tx) => {
          if ((await touchChecklist(tx, tenant, checklistId, at)) === undefined)
            throw new ConflictError(`Checklist ${checklistId} is no longer editable`, 'checklist_locked');
          await insertArtifact(tx, record);
        });
        return artifactView(record);
      } catch (err) {
        if (stored) await deps.artifacts.storage.delete(key);
        throw err;
      } finally {
        await rm(spooled.path, { force: true });
      }
    },
  );
}

/** A file name for display and Content-Disposition: the base name, printable, at most 255 chars. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const printable = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return printable.slice(0, 255) || 'artifact';
}

export async function listArtifacts(
  deps: ChecklistOpsDeps,
  tenant: string,
  checklistId: string,
  index?: number,
): Promise<ArtifactView[]> {
  if (index === undefined) await requireChecklist(deps.store, tenant, checklistId);
  else await requireItem(deps.store, tenant, checklistId, index);
  return (await artifactRows(deps.store, tenant, checklistId, index)).map(artifactView);
}

export async function getArtifact(
  deps: ChecklistOpsDeps,
  tenant: string,
  checklistId: string,
  index: number,
  artifactId: string,
): Promise<ArtifactView> {
  const row = await getArtifactRow(deps.store, tenant, checklistId, index, artifactId);
  if (!row) throw new NotFoundError('Artifact not found');
  return artifactView(row);
}

export async function readArtifact(
  deps: ArtifactOpsDeps,
  tenant: string,
  checklistId: string,
  index: number,
  artifactId: string,
): Promise<{ artifact: ArtifactView; body: Readable }> {
  const row = await getArtifactRow(deps.store, tenant, checklistId, index, artifactId);
  if (!row) throw new NotFoundError('Artifact not found');
  const body = await deps.artifacts.storage.get(row.storage_key);
  if (!body) throw new NotFoundError('Artifact content not found');
  return { artifact: artifactView(row), body };
}

/** Deletes the record, then the bytes. A required document item left without artifacts goes back
 * from `complete` to `in_progress` (it may not be complete without one). */
export async function deleteArtifact(
  deps: ArtifactOpsDeps,
  tenant: string,
  userId: string,
  checklistId: string,
  index: number,
  artifactId: string,
): Promise<void> {
  const at = new Date(deps.now()).toISOString();
  const key = await deps.store.transaction(async (tx) => {
    const { row, item } = await requireItem(tx, tenant, checklistId, index);
    const artifact = await getArtifactRow(tx, tenant, checklistId, index, artifactId);
    if (!artifact) throw new NotFoundError('Artifact not found');
    assertEditable(row);
    if ((await touchChecklist(tx, tenant, checklistId, at)) === undefined)
      throw new ConflictError(`Checklist ${checklistId} is no longer editable`, 'checklist_locked');
    await deleteArtifactRow(tx, tenant, artifactId);
    const left = await artifactRows(tx, tenant, checklistId, index);
    if (
      left.length === 0 &&
      item.status === 'complete' &&
      item.item_type === 'document' &&
      Number(item.required)
    )
      await updateItem(tx, tenant, checklistId, index, {
        status: 'in_progress',
        updated_by: userId,
        updated_at: at,
      });
    return artifact.storage_key;
  });
  await deps.artifacts.storage.delete(key);
}
