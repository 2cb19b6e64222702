export { createApp, type AppDeps } from './app';
export { loadConfig, SERVICE_NAME, type Config } from './config';
export { APPROVALS_MIGRATIONS } from './store/migrations';
export type { ApprovalsDatabase, ApprovalsDb, ApprovalsStore } from './store/schema';
export { OPENAPI_INFO } from './routes/openapi';
export { createAuditKeys, type AuditKeys } from './audit/keys';
export { AUDIT_EVENTS } from './routes/schemas';
export { verifyChain, macOf, keyIdOf, type AuditEntry, type ChainVerdict } from './audit/chain';
export {
  AGENT_TYPES,
  CHECKPOINT_TYPES,
  CHECKPOINTS_OF_AGENT,
  type AgentType,
  type CheckpointType,
} from './domain/checkpoints';
export {
  DECISIONS,
  REVIEWER_STRATEGIES,
  APPROVAL_STATUSES,
  type Decision,
  type ReviewerStrategy,
} from './domain/decision';
export type { ProposedAction, Modifications } from './domain/modifications';
export type { Snapshot } from './domain/snapshot';
export type { Approval, Vote } from './store/approvals';
export type { OutboxEvent } from './store/outbox';
export type { NewApproval } from './operations/create';
export { DECIDED_EVENT } from './operations/decide';
export { ESCALATION_SWEEP_NAME, escalationSweep, startEscalationSweeper } from './escalation/sweep';
export { OutboxSignal } from './outbox/signal';
export {
  createApprovalsClient,
  ApprovalsClientError,
  type ApprovalsClient,
  type ApprovalsClientOptions,
  type ApprovalWithSnapshot,
  type ApprovalAuditEvent,
  type ApprovalAuditEntry,
  type ApprovalAuditTrail,
} from './client';
