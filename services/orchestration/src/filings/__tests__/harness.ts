/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApprovalsClient, type ApprovalsClient, type ApprovalsStore } from '@aegis/approvals';
import type { Store } from '@aegis/common';
import { buildDemoGraph } from '@aegis/demo';
import { createFakeGraphClient, type FakeGraphClient } from '@aegis/graph-client/testing';
import { countTenantRows, requestAs, startRouteHarness, type RouteRequest } from '@aegis/testing';
import { startTestApprovals, type TestApprovals } from '@aegis/testing/approvals';
import { CHECKLISTS_MIGRATIONS, loadChecklistTemplates, onChecklistApprovalDecided } from '../../checklists';
import { operator, reviewer, service, type Caller } from '../../checklists/__tests__/harness';
import { checklistRoutes } from '../../checklists/routes/checklists';
import { createLocalArtifactStorage, stagingDir } from '../../checklists/storage/local';
import type { ChecklistsDatabase, ChecklistsStore } from '../../checklists/store/schema';
import { createFilingFacts, type FlaringAssessment } from '../facts';
import { onFilingApprovalDecided, type FilingDeps } from '../produce';
import { filingsRoutes } from '../routes';
import { FILINGS_MIGRATIONS } from '../store/migrations';
import { asFilingsStore, type FilingsDatabase } from '../store/schema';

/** The same callers as the checklists' tests (filings are made from their checklists). */
export { operator, viewer, reviewer, otherTenant, type Caller } from '../../checklists/__tests__/harness';

export const T0 = Date.UTC(2026, 10, 2, 9);
const demo = buildDemoGraph('2026-11-02');

/** The first demo well (lease UNIVERSITY 7-12) with its R-32 authorisation, and an offset well. */
export const WELL = demo.wells[0].id;
export const OFFSET = demo.wells[1].id;
export const AUTHORIZATION = demo.authorizations.find((a) => a.wells.includes(WELL))!;

/** What the flaring monitor answers for the well in these tests (its figures, not computed here). */
export const ASSESSMENT: FlaringAssessment = {
  as_of: '2026-11-02',
  authorizations: [
    {
      authorization_id: AUTHORIZATION.id,
      status: AUTHORIZATION.status,
      effective_date: AUTHORIZATION.effective,
      expiry_date: AUTHORIZATION.expiry,
      max_volume_mcf_per_day: AUTHORIZATION.mcfPerDay,
      authorised_days: 180,
      authorised_volume_mcf: AUTHORIZATION.authorizedVolumeMcf,
      cumulative_volume_mcf: 31_416.5,
      remaining_volume_mcf: AUTHORIZATION.authorizedVolumeMcf - 31_416.5,
      volume_pct: (31_416.5 / AUTHORIZATION.authorizedVolumeMcf) * 100,
      days_used: 170,
      days_remaining: 10,
      well_ids: [WELL],
    },
    // Another well's: not on this filing.
    {
      authorization_id: 'R32-OTHER',
      status: 'approved',
      effective_date: '2026-06-01',
      expiry_date: '2026-11-28',
      max_volume_mcf_per_day: 999,
      authorised_days: 180,
      authorised_volume_mcf: 179_820,
      cumulative_volume_mcf: 1,
      remaining_volume_mcf: 179_819,
      volume_pct: 0,
      days_used: 1,
      days_remaining: 179,
      well_ids: ['42000000000000'],
    },
  ],
  unauthorized: [{ well_id: WELL, volume_mcf: 120.25 }],
};

export type OrchestrationDb = ChecklistsDatabase & FilingsDatabase;

export interface Harness {
  store: Store<OrchestrationDb>;
  /** The same store read as the checklists' (their functions take `ChecklistsStore`). */
  checklists: ChecklistsStore;
  approvalsStore: ApprovalsStore;
  kg: FakeGraphClient;
  deps: FilingDeps;
  serviceApprovals: ApprovalsClient;
  base: string;
  request: RouteRequest;
  raw(caller: Caller, path: string, headers?: Record<string, string>): Promise<Response>;
  approvals: RouteRequest;
  /** A checklist of `template` for `entity`, completed, submitted and approved by the reviewer; its
   * filing produced as the outbox consumer would. */
  approvedFiling(
    template: 'r32-flaring-exception' | 'w1-rule37-exception',
    entity?: string,
  ): Promise<{
    checklistId: string;
    approvalId: string;
    filing: any;
    evidence: { sha256: string; filename: string }[];
  }>;
  close: () => Promise<void>;
}

/**
 * The checklist and filing routes in an app of their own (as the orchestration registers them), with
 * the real approvals app in process, a fake knowledge graph holding the demo data set for tenant-a, the
 * flaring monitor's answer given (`ASSESSMENT`), and local artifact storage in a temp dir.
 */
export async function startHarness(url = 'sqlite::memory:'): Promise<Harness> {
  const clock = { now: T0 };
  const now = () => clock.now;
  const kg = createFakeGraphClient();
  await kg.bulk({ token: 'x', tenantId: 'tenant-a' }, { entities: demo.entities, edges: demo.edges });
  // The graph's offset_wells query (great-circle distances): one offset inside 1,200 ft, one outside.
  kg.templates.offset_wells = (params) =>
    params.well_id === WELL
      ? [
          { entity_id: OFFSET, properties: { name: 'UNIVERSITY 7-12 2H' }, distance_ft: 820.24 },
          { entity_id: demo.wells[2].id, properties: {}, distance_ft: 1_199.99 },
          { entity_id: demo.wells[3].id, properties: {}, distance_ft: 1_200 },
        ]
      : [];
  const artifactsDir = mkdtempSync(join(tmpdir(), 'aegis-filings-'));
  let approvalsServer: TestApprovals | undefined;
  let serviceApprovals: ApprovalsClient | undefined;
  let deps: FilingDeps | undefined;
  const h = await startRouteHarness<OrchestrationDb>({
    name: 'orchestration',
    url,
    migrations: [...CHECKLISTS_MIGRATIONS, ...FILINGS_MIGRATIONS],
    register: async (api, { store, verifier, logger, tokenFor }) => {
      approvalsServer = await startTestApprovals({ url, verifier, logger, now });
      const serviceToken = () => tokenFor(service);
      serviceApprovals = createApprovalsClient({ baseUrl: approvalsServer.url, token: serviceToken });
      deps = {
        store: asFilingsStore(store),
        checklists: store,
        facts: createFilingFacts({ kg, flaring: async () => ASSESSMENT }),
        approvals: serviceApprovals,
        caller: async (tenant) => ({ token: await serviceToken(), tenantId: tenant }),
        now,
        logger,
      };
      checklistRoutes(api, {
        store: store as unknown as ChecklistsStore,
        templates: loadChecklistTemplates(),
        kg,
        now,
        artifacts: { storage: createLocalArtifactStorage(artifactsDir), spoolDir: stagingDir(artifactsDir) },
        artifactMaxBytes: 64 * 1024,
        approvals: serviceApprovals,
        logger,
      });
      filingsRoutes(api, deps);
    },
  });
  h.onClose(() => rmSync(artifactsDir, { recursive: true, force: true }));
  h.onClose(() => approvalsServer!.close());
  const { store, headers, request } = h;
  const checklists = store as unknown as ChecklistsStore;
  const filingDeps = deps!;
  const approvals = requestAs(approvalsServer!.url, headers);

  const approvedFiling: Harness['approvedFiling'] = async (template, entity = WELL) => {
    const created = await request(operator, 'POST', '/checklists', {
      template_id: template,
      entity_id: entity,
    });
    expect(created.status).toBe(201);
    const id = created.body.checklist_id as string;
    const evidence: { sha256: string; filename: string }[] = [];
    for (const item of created.body.items as { index: number; required: boolean; item_type: string }[]) {
      if (!item.required) continue;
      if (item.item_type === 'document') {
        const form = new FormData();
        const filename = `evidence-${item.index}.pdf`;
        form.append(
          'file',
          new Blob([`%PDF-1.4 evidence for item ${item.index}`], { type: 'application/pdf' }),
          filename,
        );
        const res = await fetch(`${h.base}/checklists/${id}/items/${item.index}/artifacts`, {
          method: 'POST',
          headers: await headers(operator),
          body: form,
        });
        expect(res.status).toBe(201);
        evidence.push({ sha256: ((await res.json()) as { sha256: string }).sha256, filename });
      }
      const patched = await request(operator, 'PATCH', `/checklists/${id}/items/${item.index}`, {
        status: 'complete',
      });
      expect(patched.status).toBe(200);
    }
    const submitted = await request(operator, 'POST', `/checklists/${id}/submit`, {});
    expect(submitted.status).toBe(200);
    const approvalId = submitted.body.approval_id as string;
    const decided = await approvals(reviewer, 'POST', `/approvals/${approvalId}/decide`, {
      decision: 'approved',
      notes: 'Figures checked against the monitor',
    });
    expect(decided.status).toBe(200);
    // The orchestration's outbox consumer: the checklist first, then its filing.
    await onChecklistApprovalDecided(checklists, 'tenant-a', approvalId, 'approved', { now });
    const filing = await onFilingApprovalDecided(filingDeps, 'tenant-a', {
      approval_id: approvalId,
      status: 'approved',
      decided_by: decided.body.decision.decided_by,
      decided_at: decided.body.decision.decided_at,
      notes: decided.body.decision.notes,
    });
    return { checklistId: id, approvalId, filing, evidence };
  };

  return {
    store,
    checklists,
    approvalsStore: approvalsServer!.store,
    kg,
    deps: filingDeps,
    serviceApprovals: serviceApprovals!,
    base: h.base,
    request,
    raw: async (caller, path, extra = {}) =>
      fetch(`${h.base}${path}`, { headers: { ...(await headers(caller)), ...extra } }),
    approvals,
    approvedFiling,
    close: h.close,
  };
}

/** Rows of a filing table for a tenant (what a refused request must leave unchanged). */
export const countRows = (
  store: Store<OrchestrationDb>,
  table: 'filings' | 'filing_events',
  tenant = 'tenant-a',
): Promise<number> => countTenantRows(store, table, tenant);
