import type { Role } from '@aegis/common';

/** Whom knowledge-graph calls are for (the caller's token and resolved tenant): the one helper of
 * @aegis/graph-client. */
export { graphCaller } from '@aegis/graph-client';

/** Roles that may read jobs (every role), and that may ingest (operator; admin passes every check). */
export const READ_ROLES: Role[] = ['viewer', 'operator', 'reviewer'];
export const INGEST_ROLES: Role[] = ['operator'];
