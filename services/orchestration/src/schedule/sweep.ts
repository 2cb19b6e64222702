import { AppError, type Logger, type ServiceIdentity } from '@aegis/common';
import type { AgentDefinition } from '../agents/types';
import type { PlatformClients } from '../tools/types';
import { MONITOR_SOURCES, newAlerts, reportable, summariseAlerts } from './alerts';
import type { MonitorEngine, MonitorRunOutcome, MonitorRunRequest, MonitorStateStore } from './types';

/** Who a scheduled run acts for: the service itself (no user asked). */
export const SCHEDULE_USER = 'service:orchestration';

/** The run statuses after which the new alerts count as reported (a rejected run did not report them;
 * a failed one throws). */
const REPORTED_STATUSES: readonly string[] = ['completed', 'awaiting_approval'];

export interface MonitorScheduleDeps {
  engine: MonitorEngine;
  /** The service identity: which tenants exist, and the token acting on one (ADR 0019). */
  identity: Pick<ServiceIdentity, 'tenants' | 'caller'>;
  catalog: { list(): readonly AgentDefinition[] };
  /** Reads the monitors' current alerts (the tools' clients). */
  clients: PlatformClients;
  state: MonitorStateStore;
  logger: Logger;
  now?: () => number;
}

/** What one scheduled agent did on one tenant. */
export interface MonitorRunReport {
  tenant: string;
  agent_id: string;
  /** Alerts the monitors report now (critical and warning). */
  alerts: number;
  new_alerts: number;
  /** No new alert: no run. */
  skipped: boolean;
  /** The run was asked to raise a `compliance_alert` approval (new critical alerts, and the
   * definition's `schedule.raise_alert_approval`). */
  raise_alert: boolean;
  run_id?: string;
  conversation_id?: string;
  status?: string;
  /** The approval the run stopped at. */
  approval_id?: string;
}

/** The agents that run on the schedule: a `schedule` in the definition and an alert source for the
 * type (the compliance and flaring monitors). */
export function scheduledAgents(catalog: MonitorScheduleDeps['catalog']): AgentDefinition[] {
  return catalog
    .list()
    .filter((a) => a.schedule !== undefined && MONITOR_SOURCES[a.agent_type] !== undefined);
}

/**
 * One scheduled look of one agent at one tenant: read the monitor's alerts, keep those the previous
 * run did not see, and when there are any, run the agent's prompt (one conversation per tenant and
 * agent) with a summary of the new ones. When one of them is critical and the definition says so
 * (`schedule.raise_alert_approval`), the run is asked to raise it for review (`raise_alert_approval` in
 * its context): its mutating `raise_compliance_alert` call stops the run at a `compliance_alert`
 * approval like any other checkpoint, and the reviewer's approval records the follow-up. The state is
 * written last, so a failure anywhere reports the same alerts next time (at least once, never silently
 * dropped); an alert that clears and comes back is new again.
 */
export async function runMonitorAgent(
  deps: MonitorScheduleDeps,
  tenant: string,
  agent: AgentDefinition,
  signal: AbortSignal,
): Promise<MonitorRunReport> {
  const source = MONITOR_SOURCES[agent.agent_type];
  if (!source || !agent.schedule) throw new TypeError(`Agent ${agent.agent_id} is not a scheduled monitor`);
  const now = deps.now ?? Date.now;
  const caller = await deps.identity.caller(tenant);
  const current = reportable(await source(deps.clients, caller));
  const before = await deps.state.get(tenant, agent.agent_id);
  const fresh = newAlerts(current, before?.seen ?? []);
  const raise = agent.schedule.raise_alert_approval && fresh.some((a) => a.level === 'critical');
  const report: MonitorRunReport = {
    tenant,
    agent_id: agent.agent_id,
    alerts: current.length,
    new_alerts: fresh.length,
    skipped: fresh.length === 0,
    raise_alert: raise,
  };
  const at = new Date(now()).toISOString();
  const seen = current.map((a) => a.dedupe_key);
  if (fresh.length === 0) {
    // Forget cleared alerts, so one that comes back is reported again.
    await deps.state.put(tenant, agent.agent_id, { ...before, seen, last_run_at: at });
    return report;
  }

  const outcome = await runAgent(
    deps,
    {
      tenantId: tenant,
      userId: SCHEDULE_USER,
      agentType: agent.agent_type,
      agentId: agent.agent_id,
      userMessage: `${agent.schedule.prompt}\n\n${summariseAlerts(fresh, before?.last_run_at)}`,
      conversationId: before?.conversation_id,
      context: { scheduled: true, new_alerts: fresh, raise_alert_approval: raise },
    },
    signal,
  );
  Object.assign(report, {
    run_id: outcome.run_id,
    conversation_id: outcome.conversation_id,
    status: outcome.status,
    approval_id: outcome.approval_id ?? undefined,
  });
  if (!REPORTED_STATUSES.includes(outcome.status)) {
    deps.logger.warn(
      { tenant, agent: agent.agent_id, run: outcome.run_id, status: outcome.status },
      'Scheduled monitor run did not complete; its alerts are reported again at the next run',
    );
    return report;
  }
  if (raise && !outcome.approval_id)
    deps.logger.warn(
      { tenant, agent: agent.agent_id, run: outcome.run_id },
      'Scheduled monitor run found new critical alerts but raised no compliance_alert approval',
    );

  await deps.state.put(tenant, agent.agent_id, {
    seen,
    conversation_id: outcome.conversation_id,
    last_run_id: outcome.run_id,
    last_run_at: at,
  });
  return report;
}

/** Runs the request in the tenant's earlier scheduled conversation; in a new one when that one is gone
 * (deleted: 404) or still busy (a run of it paused at an approval: 409 `run_in_progress`). */
async function runAgent(
  deps: MonitorScheduleDeps,
  request: MonitorRunRequest,
  signal: AbortSignal,
): Promise<MonitorRunOutcome> {
  try {
    return await deps.engine.run(request, { signal });
  } catch (err) {
    const elsewhere =
      err instanceof AppError &&
      (err.status === 404 || (err.status === 409 && err.code === 'run_in_progress'));
    if (!request.conversationId || !elsewhere) throw err;
    return deps.engine.run({ ...request, conversationId: undefined }, { signal });
  }
}

/**
 * One sweep: every scheduled agent on every tenant. A tenant or agent that fails is logged and the
 * others still run; the sweep stops between two runs when the lease is lost or the service stops.
 */
export function monitorAgentsSweep(
  deps: MonitorScheduleDeps,
): (signal: AbortSignal) => Promise<MonitorRunReport[]> {
  return async (signal) => {
    const agents = scheduledAgents(deps.catalog);
    const reports: MonitorRunReport[] = [];
    if (agents.length === 0) return reports;
    for (const tenant of await deps.identity.tenants()) {
      for (const agent of agents) {
        if (signal.aborted) return reports;
        try {
          const report = await runMonitorAgent(deps, tenant, agent, signal);
          reports.push(report);
          if (!report.skipped)
            deps.logger.info(
              {
                tenant,
                agent: agent.agent_id,
                new_alerts: report.new_alerts,
                run: report.run_id,
                approval: report.approval_id,
              },
              'Ran a scheduled monitor agent',
            );
        } catch (err) {
          deps.logger.error({ err, tenant, agent: agent.agent_id }, 'Scheduled monitor agent failed');
        }
      }
    }
    return reports;
  };
}
