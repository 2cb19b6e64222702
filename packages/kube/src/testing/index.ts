/** Test support for code that takes a KubeApi. Source only: excluded from the build, so no runtime
 * dist carries it. */
export { FakeKubeApi } from './fake-api';
