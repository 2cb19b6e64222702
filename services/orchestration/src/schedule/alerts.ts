import type { AgentType } from '@aegis/approvals';
import { ALERT_LEVELS, type AlertLevel } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { PlatformClients } from '../tools/types';
import type { MonitorAlert } from './types';

/** Levels a scheduled run reports. INFO alerts (an NSPS OOOOb note on every flare event, a status
 * change) are left to the monitors' own streams: a summary of them every hour is noise. */
export const REPORTED_LEVELS: readonly AlertLevel[] = ['critical', 'warning'];

/** Deadlines the compliance monitor agent watches: due within 30 days (WARNING) or 7 (CRITICAL), and
 * overdue ones (domain.md "Production and other filings"). */
export const DEADLINE_WINDOW_DAYS = 30;
/** Months of production the compliance monitor agent checks (the compliance sweep's window). */
export const PRODUCTION_MONTHS = 3;

interface AlertReport {
  alerts: MonitorAlert[];
}

/** The agent types that run on the schedule, and where their alerts come from. */
export const MONITOR_SOURCES: Partial<
  Record<AgentType, (clients: PlatformClients, caller: GraphCaller) => Promise<MonitorAlert[]>>
> = {
  // Rule 32 volume / day / expiry thresholds and unauthorised flaring, tenant-wide (the flaring monitor).
  flaring_monitor: async (clients, caller) =>
    (await clients.call<AlertReport>('flaring-monitor', 'POST', '/flaring/assess', caller, {})).alerts,
  // Deadlines and production anomalies, tenant-wide (the compliance monitor).
  compliance_monitor: async (clients, caller) => {
    const [deadlines, production] = await Promise.all([
      clients.call<AlertReport>('compliance-monitor', 'POST', '/compliance/deadlines', caller, {
        window_days: DEADLINE_WINDOW_DAYS,
      }),
      clients.call<AlertReport>('compliance-monitor', 'POST', '/compliance/production', caller, {
        months: PRODUCTION_MONTHS,
      }),
    ]);
    return [...deadlines.alerts, ...production.alerts];
  },
};

/** The alerts of a level the schedule reports, one per `dedupe_key`, most severe first (stable). */
export function reportable(alerts: readonly MonitorAlert[]): MonitorAlert[] {
  const byKey = new Map<string, MonitorAlert>();
  for (const a of alerts)
    if (REPORTED_LEVELS.includes(a.level) && !byKey.has(a.dedupe_key)) byKey.set(a.dedupe_key, a);
  const rank = (a: MonitorAlert) => ALERT_LEVELS.indexOf(a.level);
  return [...byKey.values()].sort((a, b) => rank(a) - rank(b));
}

/** The alerts whose key the previous run did not see. */
export function newAlerts(current: readonly MonitorAlert[], seen: readonly string[]): MonitorAlert[] {
  const before = new Set(seen);
  return current.filter((a) => !before.has(a.dedupe_key));
}

/** How many alerts a summary lists one by one; the rest are counted. */
export const SUMMARY_LIST_LIMIT = 25;

/**
 * The scheduled run's request text: the agent's prompt, then the new alerts by level, one line each
 * (level, rule, entity, message), so the conversation shows what was new even when the planner writes
 * its answer from its own tool calls.
 */
export function summariseAlerts(alerts: readonly MonitorAlert[], since: string | undefined): string {
  const counts = REPORTED_LEVELS.map(
    (level) => [level, alerts.filter((a) => a.level === level).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`)
    .join(', ');
  const head = `${alerts.length} new alert${alerts.length === 1 ? '' : 's'} ${since ? `since the last run at ${since}` : 'at the first run'} (${counts}):`;
  const lines = alerts
    .slice(0, SUMMARY_LIST_LIMIT)
    .map((a) => `- ${a.level.toUpperCase()} ${a.rule} — ${a.entity.label} ${a.entity.id}: ${a.message}`);
  if (alerts.length > SUMMARY_LIST_LIMIT) lines.push(`- … and ${alerts.length - SUMMARY_LIST_LIMIT} more`);
  return [head, ...lines].join('\n');
}
