import { pausedRuns, tenantsWithPausedRuns } from '../store/runs';
import { approvalCursor, saveApprovalCursor } from '../store/usage';
import type { EngineDeps } from './deps';
import type { Engine } from './engine';
import type { ApprovalDecision } from './resume';

const DECIDED = 'approval_decided';
const PAGE = 100;
/** Outbox passes between two scans of every paused run's approval. */
const DEFAULT_SCAN_EVERY = 30;

export interface ResumeLoop {
  /** One pass: runs a stopped process left `running` are ended (`interrupted`), then every tenant with
   * paused runs reads its approvals outbox after its cursor. */
  runOnce(): Promise<void>;
  /** Asks the approvals service about every paused run once (decisions made while this service was
   * down, before any cursor). */
  scan(): Promise<void>;
  stop(): Promise<void>;
}

function decisionOf(approvalId: string, data: Record<string, unknown>): ApprovalDecision | undefined {
  const status = data.status;
  if (status !== 'approved' && status !== 'modified' && status !== 'rejected') return undefined;
  return {
    approval_id: approvalId,
    status,
    decided_by: typeof data.decided_by === 'string' ? data.decided_by : null,
    notes: typeof data.notes === 'string' ? data.notes : null,
    effective_action: (data.effective_action as ApprovalDecision['effective_action']) ?? null,
  };
}

/**
 * Resumes paused runs when their approvals are decided: the approvals service's outbox (at-least-once,
 * per tenant, a cursor stored here so a restart goes on where it stopped) polled every `intervalMs`,
 * and a scan asking for each paused run's approval at start and every `scanEvery` passes. Several
 * replicas may run it: the run's conditional claim lets one resume it. A resume runs in the
 * background; once it has claimed its run, its failure is the run's.
 */
export function startResumeLoop(
  engine: Engine,
  deps: Pick<EngineDeps, 'store' | 'approvals' | 'logger' | 'now'>,
  opts: { intervalMs: number; scanAtStart?: boolean; scanEvery?: number },
): ResumeLoop {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  let passing: Promise<void> | undefined;

  const resume = (tenant: string, runId: string, decision: ApprovalDecision): void => {
    const p = engine
      .resume(tenant, runId, decision)
      .catch((err: unknown) =>
        deps.logger.warn({ err, tenant, run_id: runId }, 'A resumed run ended with an error'),
      )
      .finally(() => running.delete(p));
    running.add(p);
  };

  const passTenant = async (tenant: string): Promise<void> => {
    const paused = new Map(
      (await pausedRuns(deps.store, tenant)).flatMap((r) =>
        r.approval_id ? [[r.approval_id, r.run_id]] : [],
      ),
    );
    let after = await approvalCursor(deps.store, tenant);
    for (;;) {
      const page = await deps.approvals.outbox(tenant, after, PAGE);
      for (const e of page.data) {
        const runId = paused.get(e.approval_id);
        const decision = e.event_type === DECIDED ? decisionOf(e.approval_id, e.data) : undefined;
        if (runId && decision) resume(tenant, runId, decision);
      }
      if (page.next_after !== after) {
        after = page.next_after;
        await saveApprovalCursor(deps.store, tenant, after, new Date(deps.now()).toISOString());
      }
      if (!page.has_more) return;
    }
  };

  const runOnce = async (): Promise<void> => {
    await engine
      .failStale()
      .catch((err: unknown) => deps.logger.warn({ err }, 'Failed to end interrupted runs; will retry'));
    for (const tenant of await tenantsWithPausedRuns(deps.store)) {
      if (stopped) return;
      await passTenant(tenant).catch((err: unknown) =>
        deps.logger.warn({ err, tenant }, 'Failed to read the approvals outbox; will retry'),
      );
    }
  };

  const scan = async (): Promise<void> => {
    for (const tenant of await tenantsWithPausedRuns(deps.store)) {
      for (const run of await pausedRuns(deps.store, tenant)) {
        if (!run.approval_id) continue;
        try {
          const approval = await deps.approvals.get(tenant, run.approval_id);
          if (approval.status === 'pending') continue;
          resume(tenant, run.run_id, {
            approval_id: run.approval_id,
            status: approval.status,
            decided_by: approval.decision?.decided_by ?? null,
            notes: approval.decision?.notes ?? null,
            effective_action: approval.effective_action,
          });
        } catch (err) {
          deps.logger.warn({ err, tenant, run_id: run.run_id }, 'Failed to read an approval; will retry');
        }
      }
    }
  };

  let ticks = 0;
  const tick = (): void => {
    if (stopped || passing) return;
    // Every `scanEvery` passes, the scan too: a resume that failed before claiming its run (the auth
    // service down, say) is retried although the outbox cursor has passed its event.
    const scanNow = ++ticks % (opts.scanEvery ?? DEFAULT_SCAN_EVERY) === 0;
    passing = (scanNow ? runOnce().then(scan) : runOnce())
      .catch((err: unknown) => deps.logger.warn({ err }, 'The approval resume pass failed'))
      .finally(() => (passing = undefined));
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  if (opts.scanAtStart)
    void scan().catch((err: unknown) => deps.logger.warn({ err }, 'The paused-run scan failed'));

  return {
    runOnce,
    scan,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await passing;
      await Promise.allSettled([...running]);
      await engine.idle();
    },
  };
}
