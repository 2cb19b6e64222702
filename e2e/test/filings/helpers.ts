/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { createHash } from 'node:crypto';
import { buildDemoGraph } from '@aegis/demo';
import { waitFor } from '@aegis/testing';
import type { Client } from '../knowledge-graph/platform';

export const R32 = 'r32-flaring-exception';

export const sha256 = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/** The demo's single-well Rule 32 authorisation with the longest time left (`R32-0041987-1`: 180 mcf
 * per day, expiring in 120 days), and its well: the R-32 package states that volume. */
export function demoAuthorisedWell(): { well: string; mcfPerDay: number } {
  const auth = buildDemoGraph(new Date().toISOString().slice(0, 10)).authorizations.find(
    (a) => a.id === 'R32-0041987-1',
  );
  if (!auth || auth.wells.length !== 1) throw new Error('the demo has no authorisation R32-0041987-1');
  return { well: auth.wells[0], mcfPerDay: auth.mcfPerDay };
}

/** A multipart upload of one `file` part through the gateway, answered as `{status, body}`. */
export async function uploadArtifact(
  base: string,
  client: Client,
  checklistId: string,
  index: number,
  content: Buffer | string,
  fileName = 'evidence.pdf',
  type = 'application/pdf',
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), fileName);
  const res = await fetch(`${base}/api/v1/checklists/${checklistId}/items/${index}/artifacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}` },
    body: form,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body };
}

/** The bytes of a download through the gateway (`path` under `/api/v1`), with the answer's headers. */
export async function download(
  base: string,
  client: Client,
  path: string,
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${client.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Creates a checklist from `templateId` for `entityId` (201). */
export async function createChecklist(client: Client, entityId: string, templateId = R32): Promise<any> {
  const r = await client.call('POST', '/api/v1/checklists', { template_id: templateId, entity_id: entityId });
  if (r.status !== 201) throw new Error(`POST /checklists answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Settles every required item as the lifecycle allows: documents get an artifact first, then each
 * item not complete (nor under an exception) is set `complete`. */
export async function completeRequired(base: string, client: Client, checklistId: string): Promise<void> {
  const checklist = (await client.call('GET', `/api/v1/checklists/${checklistId}`)).body;
  const artifacts = (await client.call('GET', `/api/v1/checklists/${checklistId}/artifacts?page_size=100`))
    .body.data as any[];
  for (const item of checklist.items as any[]) {
    if (!item.required || ['complete', 'exception'].includes(item.status)) continue;
    if (item.item_type === 'document' && !artifacts.some((a) => a.item_index === item.index)) {
      const up = await uploadArtifact(base, client, checklistId, item.index, `evidence for #${item.index}`);
      if (up.status !== 201) throw new Error(`upload answered ${up.status} ${JSON.stringify(up.body)}`);
    }
    const r = await client.call('PATCH', `/api/v1/checklists/${checklistId}/items/${item.index}`, {
      status: 'complete',
    });
    if (r.status !== 200)
      throw new Error(`PATCH item ${item.index} answered ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** Polls (every 200 ms, at most `timeoutMs`) until the checklist's filing package is listed. */
export function waitForFiling(client: Client, checklistId: string, timeoutMs = 30_000): Promise<any> {
  return waitFor(
    `the filing package of ${checklistId}`,
    async () => {
      const r = await client.call('GET', `/api/v1/compliance/filings?checklist_id=${checklistId}`);
      if (r.status !== 200) throw new Error(`GET filings answered ${r.status} ${JSON.stringify(r.body)}`);
      if (r.body.total !== 1) throw new Error(`${r.body.total} packages`);
      return r.body.data[0];
    },
    timeoutMs,
    200,
  );
}
