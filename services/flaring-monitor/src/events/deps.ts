import type { Store } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';

/** What the event, event-type and stream routes need from the service. */
export interface EventsDeps {
  store: Store;
  /** Correlation targets that are entities are checked in the knowledge graph. */
  kg: Pick<KnowledgeGraphClient, 'getEntity'>;
  now: () => number;
  /** Same content within this window is a duplicate (`EVENT_DEDUP_WINDOW_MS`). */
  dedupWindowMs: number;
  /** Called after a transaction that appended to the stream log committed (wakes the stream hub). */
  onStreamed?: () => void;
}

export const nowIso = (deps: Pick<EventsDeps, 'now'>) => new Date(deps.now()).toISOString();
