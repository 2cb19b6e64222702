import { startSweeper, type Store } from '@aegis/common';
import { createMonitorStateStore } from './state';
import {
  monitorAgentsSweep,
  scheduledAgents,
  type MonitorScheduleDeps,
  type MonitorRunReport,
} from './sweep';
import type { MonitorStateStore } from './types';

/** The lease name of the schedule (one runner across the service's replicas). */
export const MONITOR_AGENTS_SWEEP_NAME = 'orchestration.monitor-agents';

export interface MonitorAgentsOptions extends Omit<MonitorScheduleDeps, 'state' | 'identity'> {
  /** Undefined when SERVICE_CLIENT_SECRET is not set: the schedule is off, said in the log. */
  identity: MonitorScheduleDeps['identity'] | undefined;
  /** The service's store: the sweeper lease, and the state unless `state` is given. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any store carrying the two tables
  store: Store<any>;
  state?: MonitorStateStore;
  /** MONITOR_AGENTS_INTERVAL_MS; 0 turns the schedule off. */
  intervalMs: number;
  /** Delay of the first run after start (default: one interval, so a start-up is not a sweep);
   * `Infinity`: only `runOnce()` (tests). */
  initialDelayMs?: number;
}

export interface MonitorAgents {
  /** Stops the timer, awaits a running sweep and frees the lease. Call before closing the store. */
  stop(): Promise<void>;
  /** Runs every scheduled agent on every tenant now, if this replica can take the lease; the reports,
   * or undefined when another replica holds it (or the schedule is off). */
  runOnce(): Promise<MonitorRunReport[] | undefined>;
}

const OFF: MonitorAgents = { stop: () => Promise.resolve(), runOnce: () => Promise.resolve(undefined) };

/**
 * The scheduled monitoring agents (spec §8, domain.md "Agents"): every `intervalMs`, on one replica
 * at a time (the kit's sweeper lease), each agent with a `schedule` looks at every tenant's alerts and
 * summarises the new ones (see `runMonitorAgent`). Off, with a log line saying why, when the interval
 * is 0, no identity is configured, or no agent has a schedule.
 */
export function startMonitorAgents(options: MonitorAgentsOptions): MonitorAgents {
  const { logger, identity, intervalMs } = options;
  const log = logger.child({ sweeper: MONITOR_AGENTS_SWEEP_NAME });
  if (intervalMs === 0) {
    log.info({}, 'The monitor agents schedule is off (MONITOR_AGENTS_INTERVAL_MS=0)');
    return OFF;
  }
  if (!identity) {
    log.warn({}, 'The monitor agents schedule is off: SERVICE_CLIENT_SECRET is not set');
    return OFF;
  }
  const agents = scheduledAgents(options.catalog);
  if (agents.length === 0) {
    log.info({}, 'The monitor agents schedule is off: no agent has a schedule');
    return OFF;
  }
  const sweep = monitorAgentsSweep({
    ...options,
    identity,
    state: options.state ?? createMonitorStateStore(options.store),
    logger: log,
  });
  let last: MonitorRunReport[] | undefined;
  const sweeper = startSweeper({
    store: options.store,
    name: MONITOR_AGENTS_SWEEP_NAME,
    intervalMs,
    initialDelayMs: options.initialDelayMs ?? intervalMs,
    logger,
    now: options.now,
    sweep: async (signal) => {
      last = await sweep(signal);
    },
  });
  log.info({ intervalMs, agents: agents.map((a) => a.agent_id) }, 'Started the monitor agents schedule');
  return {
    stop: () => sweeper.stop(),
    async runOnce() {
      last = undefined;
      return (await sweeper.runOnce()) ? last : undefined;
    },
  };
}
