/**
 * The compliance monitor's figures as the dashboard reads them: `POST /compliance/deadlines` and
 * `POST /compliance/production`, called with the caller's token (and the tenant a platform admin
 * named), so the dashboard's numbers are the monitor's own.
 */
import { alertDraftSchema, UpstreamError, type Logger } from '@aegis/common';
import { callerRequest, detailOf, refusedFor, type GraphCaller } from '@aegis/graph-client';
import { z } from 'zod';
import type { MonitorAlert } from './domain/types';

const COMPLIANCE_MONITOR = { name: 'compliance monitor', code: 'compliance_monitor' };

/** The part of the monitor's answers the dashboard reads (its `DeadlineReport` / `ProductionReport`). */
const report = z.object({ as_of: z.string(), alerts: z.array(alertDraftSchema) });

export interface Scope {
  as_of: string;
  operator_id?: string;
}

export interface ComplianceFigures {
  /** Open deadlines due within `window_days` of `as_of` (overdue ones always), as alerts. */
  deadlines(caller: GraphCaller, body: Scope & { window_days: number }): Promise<MonitorAlert[]>;
  /** Production anomalies of the `months` months ending with the month of `as_of`. */
  production(caller: GraphCaller, body: Scope & { months: number }): Promise<MonitorAlert[]>;
}

type Post = (path: string, caller: GraphCaller, body: unknown) => Promise<{ status: number; body: unknown }>;

function figuresOver(post: Post, logger?: Logger): ComplianceFigures {
  const read = async (path: string, caller: GraphCaller, body: unknown): Promise<MonitorAlert[]> => {
    const reply = await post(path, caller, body);
    const refused = refusedFor(reply, COMPLIANCE_MONITOR);
    if (refused) throw refused;
    const parsed = reply.status === 200 ? report.safeParse(reply.body) : undefined;
    if (parsed?.success) return parsed.data.alerts;
    logger?.error(
      { status: reply.status, detail: detailOf(reply.body), path },
      'Compliance monitor answered unexpectedly',
    );
    throw new UpstreamError(
      `The compliance monitor failed to answer ${path} (status ${reply.status})`,
      'compliance_monitor_error',
    );
  };
  return {
    deadlines: (caller, body) => read('/compliance/deadlines', caller, body),
    production: (caller, body) => read('/compliance/production', caller, body),
  };
}

/** A client of the compliance monitor at `baseUrl` (COMPLIANCE_MONITOR_URL). */
export function createComplianceFigures(options: {
  baseUrl: string;
  timeoutMs: number;
  logger?: Logger;
  fetch?: typeof fetch;
}): ComplianceFigures {
  const call = callerRequest({ ...options, upstream: COMPLIANCE_MONITOR });
  return figuresOver((path, caller, body) => call('POST', path, caller, body), options.logger);
}
