/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { randomBytes } from 'node:crypto';
import {
  createLogger,
  createMetrics,
  createTokenVerifier,
  createSealer,
  openStore,
  type Role,
} from '@aegis/common';
import {
  createTestTokenIssuer,
  jsonRequest,
  listen,
  type Listening,
  type TestTokenIssuer,
} from '@aegis/testing';
import { createApp } from '../app';
import { createAuditKeys, type AuditKeys } from '../audit/keys';
import type { OperationDeps } from '../operations/deps';
import { OutboxSignal } from '../outbox/signal';
import { APPROVALS_MIGRATIONS } from '../store/migrations';
import type { ApprovalsDatabase, ApprovalsStore } from '../store/schema';

/** A caller: user id, roles and tenant of its tokens. */
export interface Caller {
  user: string;
  roles: Role[];
  tenant?: string;
}

/** The approvals app in process on a store of the caller's choice, with a local token issuer and a
 * clock the test moves. */
export interface Harness {
  base: string;
  store: ApprovalsStore;
  keys: AuditKeys;
  clock: { now: number };
  ops: OperationDeps;
  request(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  headers(caller: Caller): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export const T0 = Date.UTC(2026, 2, 1, 8);

export async function startHarness(url = 'sqlite::memory:'): Promise<Harness> {
  const issuer: TestTokenIssuer = await createTestTokenIssuer();
  const store = await openStore<ApprovalsDatabase>({ url });
  await store.migrate('approvals', APPROVALS_MIGRATIONS);
  const clock = { now: T0 };
  const logger = createLogger({ service: 'approvals-test', level: 'silent' });
  const keys = createAuditKeys({
    store,
    configured: randomBytes(32),
    sealer: createSealer(undefined, 'AUDIT_KEY_ENCRYPTION_KEY'),
  });
  const signal = new OutboxSignal();
  const now = () => clock.now;
  const app = createApp({
    store,
    keys,
    signal,
    verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
    logger,
    metrics: createMetrics('approvals_test'),
    now,
    checkResponses: true,
    outboxPollMs: 50,
    sseHeartbeatMs: 100,
  });
  const server: Listening = await listen(app);
  const headers = async (c: Caller) => ({
    authorization: `Bearer ${await issuer.sign({ sub: c.user, user_id: c.user, roles: c.roles, tenant_id: c.tenant ?? 'tenant-a' })}`,
  });
  return {
    base: server.url,
    store,
    keys,
    clock,
    ops: { store, keys, now, signal, escalationTimeoutHours: 24 },
    headers,
    request: async (caller, method, path, body, extra) =>
      jsonRequest(`${server.url}${path}`, method, {
        body,
        headers: { ...(await headers(caller)), ...extra },
      }),
    close: async () => {
      await server.close();
      await store.close();
      await issuer.close();
    },
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
export async function countRows(
  store: ApprovalsStore,
  table: 'approvals' | 'audit_entries' | 'approval_votes' | 'approval_outbox',
  tenant = 'tenant-a',
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenant)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
