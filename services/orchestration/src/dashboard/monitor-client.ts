/**
 * The compliance monitor's figures as the dashboard reads them: `POST /compliance/deadlines` and
 * `POST /compliance/production`, called with the caller's token (and the tenant a platform admin
 * named), so the dashboard's numbers are the monitor's own.
 */
import { alertDraftSchema } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import { z } from 'zod';
import { UPSTREAMS, upstreamPost, type UpstreamOptions } from '../upstream';
import type { MonitorAlert } from './domain/types';

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

/** A client of the compliance monitor at `baseUrl` (COMPLIANCE_MONITOR_URL). */
export function createComplianceFigures(options: UpstreamOptions): ComplianceFigures {
  const alerts = (path: string) => {
    const post = upstreamPost(options, UPSTREAMS['compliance-monitor'], path, report, `answer ${path}`);
    return async (caller: GraphCaller, body: unknown) => (await post(caller, body)).alerts;
  };
  return { deadlines: alerts('/compliance/deadlines'), production: alerts('/compliance/production') };
}
