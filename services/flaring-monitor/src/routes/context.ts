import type { Logger, Role } from '@aegis/common';
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

/** Whom knowledge-graph calls are for (the caller's token and resolved tenant): the one helper of
 * @aegis/graph-client. */
export { graphCaller } from '@aegis/graph-client';

/** Writes (flare events, ingest) need the operator role; admin passes every check. Any role reads. */
export const WRITE_ROLES: Role[] = ['operator'];
