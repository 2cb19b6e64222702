import type { ApprovalsClient, NewApproval } from '@aegis/approvals';
import { AppError, type Logger, type ServiceIdentity } from '@aegis/common';
import type { AgentDefinition } from '../agents/types';
import type { PlatformClients } from '../tools/types';
import { MONITOR_SOURCES, newAlerts, reportable, summariseAlerts } from './alerts';
import type {
  MonitorAlert,
  MonitorEngine,
  MonitorRunOutcome,
  MonitorRunRequest,
  MonitorStateStore,
} from './types';

/** Who a scheduled run acts for: the service itself (no user asked). */
export const SCHEDULE_USER = 'service:orchestration';

/** The run statuses after which the new alerts count as reported (a rejected run did not report them;
 * a failed one throws). */
const REPORTED_STATUSES: readonly string[] = ['completed', 'awaiting_approval'];

/** The approvals payload's `summary` limit (approvals `POST /approvals`). */
const SUMMARY_MAX = 4000;

export interface MonitorScheduleDeps {
  engine: MonitorEngine;
  /** The service identity: which tenants exist, and the token acting on one (ADR 0019). */
  identity: Pick<ServiceIdentity, 'tenants' | 'caller'>;
  catalog: { list(): readonly AgentDefinition[] };
  /** Reads the monitors' current alerts (the tools' clients). */
  clients: PlatformClients;
  /** Raises the `compliance_alert` approval (the approvals client, acting as the service). */
  approvals: Pick<ApprovalsClient, 'create'>;
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
  run_id?: string;
  conversation_id?: string;
  status?: string;
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
 * run did not see, and when there are any, run the agent's prompt with them (one conversation per
 * tenant and agent) and, if the definition says so and one is critical, raise a `compliance_alert`
 * approval. The state is written last, so a failure anywhere reports the same alerts next time (at
 * least once, never silently dropped); an alert that clears and comes back is new again.
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
  const report: MonitorRunReport = {
    tenant,
    agent_id: agent.agent_id,
    alerts: current.length,
    new_alerts: fresh.length,
    skipped: fresh.length === 0,
  };
  const at = new Date(now()).toISOString();
  const seen = current.map((a) => a.dedupe_key);
  if (fresh.length === 0) {
    // Forget cleared alerts, so one that comes back is reported again.
    await deps.state.put(tenant, agent.agent_id, { ...before, seen, last_run_at: at });
    return report;
  }

  const summary = summariseAlerts(fresh, before?.last_run_at);
  const outcome = await runAgent(
    deps,
    {
      tenantId: tenant,
      userId: SCHEDULE_USER,
      agentType: agent.agent_type,
      agentId: agent.agent_id,
      userMessage: `${agent.schedule.prompt}\n\n${summary}`,
      conversationId: before?.conversation_id,
      context: { scheduled: true, new_alerts: fresh },
    },
    signal,
  );
  Object.assign(report, {
    run_id: outcome.run_id,
    conversation_id: outcome.conversation_id,
    status: outcome.status,
  });
  if (!REPORTED_STATUSES.includes(outcome.status)) {
    deps.logger.warn(
      { tenant, agent: agent.agent_id, run: outcome.run_id, status: outcome.status },
      'Scheduled monitor run did not complete; its alerts are reported again at the next run',
    );
    return report;
  }

  const critical = fresh.filter((a) => a.level === 'critical');
  // A run that already stopped at an approval of its own (a mutating tool) needs no second one.
  if (agent.schedule.raise_alert_approval && critical.length > 0 && !outcome.approval_id) {
    const approval = await deps.approvals.create(tenant, alertApproval(agent, outcome, critical, summary));
    report.approval_id = approval.approval_id;
  } else if (outcome.approval_id) report.approval_id = outcome.approval_id;

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

/** The `compliance_alert` approval of a scheduled run's critical alerts: the reviewer acknowledges
 * them; the run is finished, so there is no tool call to replay (`run_id` is in the context only). */
export function alertApproval(
  agent: AgentDefinition,
  outcome: MonitorRunOutcome,
  critical: readonly MonitorAlert[],
  summary: string,
): NewApproval {
  const entities = [...new Set(critical.map((a) => a.entity.id))];
  return {
    conversation_id: outcome.conversation_id,
    agent_type: agent.agent_type,
    checkpoint_type: 'compliance_alert',
    payload: {
      entity_id: entities[0],
      entities,
      summary: summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary,
      alert_levels: { critical: critical.length },
    },
    proposed_action: {
      tool_name: 'raise_compliance_alert',
      description: `Acknowledge ${critical.length} new critical alert${critical.length === 1 ? '' : 's'} found by ${agent.name}`,
      arguments: { agent_id: agent.agent_id, alert_keys: critical.map((a) => a.dedupe_key) },
    },
    context: { run_id: outcome.run_id, scheduled: true, alerts: critical },
    reviewer_strategy: 'any_reviewer',
    on_behalf_of: SCHEDULE_USER,
  };
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
