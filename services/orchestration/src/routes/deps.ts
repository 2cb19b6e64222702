import type { OutboxSignal } from '@aegis/approvals';
import { ForbiddenError, requireRole, type Identity, type Logger } from '@aegis/common';
import type { AgentCatalog } from '../run/deps';
import type { Engine } from '../run/engine';
import type { Conversation } from '../store/conversations';
import type { OrchestrationStore } from '../store/schema';

export interface RouteDeps {
  store: OrchestrationStore;
  engine: Engine;
  catalog: AgentCatalog;
  /** Wakes conversation streams (the engine notifies it per stored event). */
  events: OutboxSignal;
  logger: Logger;
  now: () => number;
  /** `: ping` interval of the conversation stream (spec §7: at most 15 s). */
  heartbeatMs: number;
  /** How often a following stream reads the events table (runs driven by another replica). */
  pollMs: number;
}

/** Who may change or cancel a conversation: its creator, or an operator (admins pass every check). */
export function requireOwnerOrOperator(identity: Identity, conversation: Conversation): void {
  if (identity.userId === conversation.created_by) return;
  try {
    requireRole(identity, 'operator');
  } catch {
    throw new ForbiddenError(
      'Only the conversation’s creator or an operator may change it',
      'insufficient_role',
    );
  }
}
