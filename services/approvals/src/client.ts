import type { z } from 'zod';
import type { NewApproval } from './operations/create';
import type { Approval } from './store/approvals';
import type { OutboxEvent } from './store/outbox';
import type {
  approvalWithSnapshotSchema,
  auditEntrySchema,
  auditEventBody,
  auditSchema,
} from './routes/schemas';

export type ApprovalWithSnapshot = z.output<typeof approvalWithSnapshotSchema>;
/** An event appended to a granted approval's audit trail (`POST /approvals/{id}/audit`). */
export type ApprovalAuditEvent = z.input<typeof auditEventBody>;
export type ApprovalAuditEntry = z.output<typeof auditEntrySchema>;
export type ApprovalAuditTrail = z.output<typeof auditSchema>;

/** The calls an agent run makes: stop at a checkpoint, read the approval, and resume on its decision. */
export interface ApprovalsClient {
  create(tenantId: string, approval: NewApproval): Promise<Approval>;
  get(tenantId: string, approvalId: string): Promise<ApprovalWithSnapshot>;
  /** Decision events after `after` (the last seq handled), oldest first. Deduplicate by approval id. */
  outbox(
    tenantId: string,
    after: number,
    limit?: number,
  ): Promise<{ data: OutboxEvent[]; next_after: number; has_more: boolean }>;
  /** Appends an event (a filing's status change) to a granted approval's audit trail. */
  appendAudit(tenantId: string, approvalId: string, event: ApprovalAuditEvent): Promise<ApprovalAuditEntry>;
  /** The approval's audit entries and whether the tenant's chain verifies. */
  audit(tenantId: string, approvalId: string): Promise<ApprovalAuditTrail>;
}

export interface ApprovalsClientOptions {
  /** The approvals service's base URL, e.g. `http://127.0.0.1:8004`. */
  baseUrl: string;
  /** The caller's token (a service token: `ServiceIdentity.token`). */
  token: () => Promise<string>;
  fetch?: typeof fetch;
}

/** Thrown for an answer that is not 2xx: the status and the service's error body. */
export class ApprovalsClientError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`approvals answered ${status}`);
  }
}

/** A typed client of the approvals API, acting on the tenant each call names (`tenant_id`). */
export function createApprovalsClient(options: ApprovalsClientOptions): ApprovalsClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const call = async <T>(method: string, path: string, tenantId: string, body?: unknown): Promise<T> => {
    const url = new URL(`${base}${path}`);
    url.searchParams.set('tenant_id', tenantId);
    const res = await doFetch(url, {
      method,
      headers: {
        authorization: `Bearer ${await options.token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApprovalsClientError(res.status, parsed);
    return parsed as T;
  };
  return {
    create: (tenantId, approval) => call('POST', '/approvals', tenantId, approval),
    get: (tenantId, id) => call('GET', `/approvals/${encodeURIComponent(id)}`, tenantId),
    outbox: (tenantId, after, limit = 100) =>
      call('GET', `/approvals/outbox?after=${after}&limit=${limit}`, tenantId),
    appendAudit: (tenantId, id, event) =>
      call('POST', `/approvals/${encodeURIComponent(id)}/audit`, tenantId, event),
    audit: (tenantId, id) => call('GET', `/approvals/${encodeURIComponent(id)}/audit`, tenantId),
  };
}
