import { createHash } from 'node:crypto';
import { canonicalJson } from '@aegis/common';
import type { AgentType, CheckpointType } from './checkpoints';
import type { ProposedAction } from './modifications';

/**
 * The frozen state of an approval: what the agent saw (`context`: the facts, tool results and
 * documents it based the step on) and what it intends to do (`proposed_action`), with the request's
 * identifying fields and when it was captured. Written once at creation and never changed; its
 * `digest` (SHA-256 of the canonical JSON) is in the approval's `created` audit entry, so a snapshot
 * edited in the database fails the audit verification.
 */
export interface Snapshot {
  conversation_id: string;
  run_id: string | null;
  agent_type: AgentType;
  checkpoint_type: CheckpointType;
  payload: Record<string, unknown>;
  proposed_action: ProposedAction;
  context: Record<string, unknown>;
  requested_by: string;
  on_behalf_of: string | null;
  captured_at: string;
}

/** SHA-256 (hex) of the canonical JSON of a snapshot. */
export function snapshotDigest(snapshot: Snapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
}
