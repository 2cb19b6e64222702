import type { Store } from '@aegis/common';

/** What the event, event-type and stream routes need from the service. */
export interface EventsDeps {
  store: Store;
  now: () => number;
  /** Same content within this window is a duplicate (contract 6, `EVENT_DEDUP_WINDOW_MS`). */
  dedupWindowMs: number;
}

export const nowIso = (deps: Pick<EventsDeps, 'now'>) => new Date(deps.now()).toISOString();
