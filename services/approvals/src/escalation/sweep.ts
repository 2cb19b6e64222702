import { startSweeper, type Logger, type Sweeper } from '@aegis/common';
import type { OperationDeps } from '../operations/deps';
import { escalateApprovals, SWEEP_ACTOR } from '../operations/escalate';
import { tenantsWithPending } from '../store/approvals';

/** The lease name of the escalation sweep (one sweeper across replicas). */
export const ESCALATION_SWEEP_NAME = 'approvals.escalation';

/**
 * One escalation sweep: every tenant with pending approvals is escalated with its own settings (the
 * tenant's timeout and escalation reviewer, else the configured timeout and no reassignment). A tenant
 * that fails is logged and skipped. Idempotent: an escalated approval's timeout restarts, so an
 * overlapping sweep finds nothing more to do for it.
 */
export function escalationSweep(deps: OperationDeps, logger: Logger): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    for (const tenant of await tenantsWithPending(deps.store)) {
      if (signal.aborted) return;
      try {
        const result = await escalateApprovals(deps, tenant, SWEEP_ACTOR, {});
        if (result.escalated.length > 0)
          logger.info({ tenant, escalated: result.escalated.length }, 'Escalated timed-out approvals');
      } catch (err) {
        logger.error({ err, tenant }, 'Escalation sweep of a tenant failed');
      }
    }
  };
}

/** Starts the escalation sweep every `intervalMs` on one replica at a time (the sweeper lease). */
export function startEscalationSweeper(
  deps: OperationDeps,
  options: { intervalMs: number; logger: Logger; initialDelayMs?: number },
): Sweeper {
  return startSweeper({
    store: deps.store,
    name: ESCALATION_SWEEP_NAME,
    intervalMs: options.intervalMs,
    initialDelayMs: options.initialDelayMs,
    sweep: escalationSweep(deps, options.logger),
    logger: options.logger,
    now: deps.now,
  });
}
