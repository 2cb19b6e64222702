import type { Logger } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type { FlaringStore } from '../store/schema';

/** What every flaring-monitor route file receives from createApp. */
export interface RouteDeps {
  store: FlaringStore;
  kg: KnowledgeGraphClient;
  logger: Logger;
  /** Epoch milliseconds; tests fix it. */
  now: () => number;
}
