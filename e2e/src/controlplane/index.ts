export type { KubeClient, KubeClientOptions, KubeResponse, RequestOptions, Watch, WatchEvent } from './api';
export { createKubeClient, probe } from './api';
export type { ControlPlaneBinaries } from './binaries';
export {
  API_SERVER_ONLY,
  builtBinaryDir,
  controlPlaneBinaries,
  FULL_CONTROL_PLANE,
  pinnedVersions,
  requireBinaries,
} from './binaries';
export type { ControlPlane, ControlPlaneComponents, ControlPlaneOptions } from './controlplane';
export { startControlPlane } from './controlplane';
export { runKubectl } from './attach';
export { FAKE_NODE_NAME } from './flags';
export type { ControlPlaneBinary, PinnedVersions } from './paths';
export { CONTROL_PLANE_BINARIES } from './paths';
