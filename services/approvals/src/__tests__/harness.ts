import { countTenantRows, startRouteHarness, type RouteCaller, type RouteRequest } from '@aegis/testing';
import { testApprovalsDeps } from '@aegis/testing/approvals';
import { createApp } from '../app';
import type { AuditKeys } from '../audit/keys';
import type { OperationDeps } from '../operations/deps';
import { OutboxSignal } from '../outbox/signal';
import { APPROVALS_MIGRATIONS } from '../store/migrations';
import type { ApprovalsDatabase, ApprovalsStore } from '../store/schema';

/** A caller: user id, roles and tenant of its tokens. */
export type Caller = RouteCaller;

/** The approvals app in process on a store of the caller's choice, with a local token issuer and a
 * clock the test moves. */
export interface Harness {
  base: string;
  store: ApprovalsStore;
  keys: AuditKeys;
  clock: { now: number };
  ops: OperationDeps;
  request: RouteRequest;
  headers: (caller: Caller) => Promise<Record<string, string>>;
  close: () => Promise<void>;
}

export const T0 = Date.UTC(2026, 2, 1, 8);

export async function startHarness(url = 'sqlite::memory:'): Promise<Harness> {
  const clock = { now: T0 };
  const now = () => clock.now;
  const signal = new OutboxSignal();
  let keys: AuditKeys | undefined;
  const h = await startRouteHarness<ApprovalsDatabase>({
    name: 'approvals',
    url,
    migrations: APPROVALS_MIGRATIONS,
    build: ({ store, verifier, logger }) => {
      const deps = testApprovalsDeps(store, {
        verifier,
        logger,
        now,
        signal,
        outboxPollMs: 50,
        sseHeartbeatMs: 100,
      });
      keys = deps.keys;
      return createApp(deps);
    },
  });
  return {
    ...h,
    keys: keys!,
    clock,
    ops: { store: h.store, keys: keys!, now, signal, escalationTimeoutHours: 24 },
  };
}

export const agent: Caller = { user: 'service:orchestration', roles: ['service'] };
export const operator: Caller = { user: 'olga', roles: ['operator'] };
export const viewer: Caller = { user: 'vic', roles: ['viewer'] };
export const admin: Caller = { user: 'ada', roles: ['admin'] };
export const reviewer = (user: string, tenant?: string): Caller => ({ user, roles: ['reviewer'], tenant });

/** A valid new approval of a Rule 37 pre-filing checkpoint; `over` replaces fields. */
export function newApproval(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    conversation_id: 'conv-1',
    run_id: 'run-1',
    agent_type: 'rule_37',
    checkpoint_type: 'pre_filing',
    payload: { filing_type: 'W-1', entity_id: '42317300010000', summary: 'W-1 for University 7 #1' },
    proposed_action: {
      tool_name: 'submit_filing',
      description: 'File the W-1 with the RRC',
      arguments: { form: 'W-1', well_api: '42317300010000', spacing_ft: 467, exceptions: [] },
    },
    context: { offset_wells: ['42317300020000'], nearest_lease_line_ft: 330 },
    reviewer_strategy: 'any_reviewer',
    ...over,
  };
}

/** Rows of a table for a tenant (what a refused request must leave unchanged). */
export const countRows = (
  store: ApprovalsStore,
  table: 'approvals' | 'audit_entries' | 'approval_votes' | 'approval_outbox',
  tenant = 'tenant-a',
): Promise<number> => countTenantRows(store, table, tenant);
