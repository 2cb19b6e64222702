import type { Logger } from '@aegis/common';
import type { Alert } from '../store/alerts';

/** Whom a publish is made for: a service token and the tenant it acts on (a GraphCaller's shape). */
export interface Caller {
  token: string;
  tenantId: string;
}

export type Publisher = (caller: Caller, alert: Alert) => Promise<boolean>;

/**
 * Publishes an alert on the flaring monitor's event stream: `POST /events` with
 * event type `compliance_alert` and the alert's dedupe key as idempotency key, so a retry after a
 * lost answer is a 409 (already there), which counts as done. Answers false when it was not accepted
 * (the alert stays unpublished and the next sweep retries it).
 */
export function createPublisher(opts: {
  flaringMonitorUrl: string;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Publisher {
  const doFetch = opts.fetch ?? fetch;
  return async (caller, alert) => {
    const url = `${opts.flaringMonitorUrl}/events?tenant_id=${encodeURIComponent(caller.tenantId)}`;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${caller.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          event_type: 'compliance_alert',
          idempotency_key: alert.dedupe_key,
          entity: alert.entity,
          occurred_at: alert.created_at,
          data: alert,
        }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 201 || res.status === 409) return true;
      opts.logger.warn(
        { status: res.status, alertId: alert.alert_id },
        'Flaring monitor refused a compliance alert',
      );
      return false;
    } catch (err) {
      opts.logger.warn({ err, alertId: alert.alert_id }, 'Failed to publish a compliance alert');
      return false;
    }
  };
}
