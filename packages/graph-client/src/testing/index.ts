/** Test support for callers of the knowledge graph. Source only: excluded from the build, so no
 * runtime dist carries it. */
export { createFakeGraphClient, tenantOfToken, type FakeGraphClient } from './fake-client';
