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

/**
 * The new alerts in a few lines for the scheduled run's request: counts by level, then one line per
 * kind of alert (level, code, rule) with how many alerts and entities it covers. It names no entity:
 * the request stays about the whole tenant (a planner reads a well named in a request as the well to
 * look at), and the details are in the run's context (`new_alerts`) and in the answer the run writes
 * from the monitors' own results.
 */
export function summariseAlerts(alerts: readonly MonitorAlert[], since: string | undefined): string {
  const counts = REPORTED_LEVELS.map(
    (level) => [level, alerts.filter((a) => a.level === level).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`)
    .join(', ');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const head = `${plural(alerts.length, 'new alert')} ${since ? `since the last run at ${since}` : 'at the first run'} (${counts}):`;
  const groups = new Map<string, MonitorAlert[]>();
  for (const a of alerts) {
    const key = JSON.stringify([a.level, a.code, a.rule]);
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const lines = [...groups.values()].map((group) => {
    const { level, code, rule } = group[0];
    const entities = new Map<string, Set<string>>();
    for (const a of group)
      entities.set(a.entity.label, (entities.get(a.entity.label) ?? new Set()).add(a.entity.id));
    const on = [...entities].map(([label, ids]) => plural(ids.size, label)).join(', ');
    return `- ${level.toUpperCase()} ${code} (${rule}): ${plural(group.length, 'alert')} on ${on}`;
  });
  return [head, ...lines].join('\n');
}
