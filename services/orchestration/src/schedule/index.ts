export {
  startMonitorAgents,
  MONITOR_AGENTS_SWEEP_NAME,
  type MonitorAgents,
  type MonitorAgentsOptions,
} from './start';
export {
  monitorAgentsSweep,
  runMonitorAgent,
  scheduledAgents,
  SCHEDULE_USER,
  type MonitorScheduleDeps,
  type MonitorRunReport,
} from './sweep';
export {
  createMonitorStateStore,
  createMemoryMonitorStateStore,
  monitorStateMigrations,
  type MonitorStateTables,
} from './state';
export { MONITOR_SOURCES, summariseAlerts, newAlerts, reportable } from './alerts';
export type * from './types';
