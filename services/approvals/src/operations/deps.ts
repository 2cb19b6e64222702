import type { AuditKeys } from '../audit/keys';
import type { OutboxSignal } from '../outbox/signal';
import type { ApprovalsStore } from '../store/schema';

/** What the approval operations use: the store, the audit keys, the clock, the in-process signal that
 * wakes outbox streams after a commit, and the configured escalation timeout. */
export interface OperationDeps {
  store: ApprovalsStore;
  keys: AuditKeys;
  now: () => number;
  signal: OutboxSignal;
  /** ESCALATION_TIMEOUT_HOURS: a tenant's timeout when its settings name none. */
  escalationTimeoutHours: number;
}
