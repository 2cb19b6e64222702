import { AppError, ConflictError } from '@aegis/common';
import { cancelRunningToolCalls, updateRun } from '../store/runs';
import type { EngineDeps } from './deps';
import { RunStopped, type RunRecorder } from './recorder';

/**
 * Ends a run that threw: `cancelled` (the client went away, or a cancel reached the store),
 * `budget_exceeded`, or `failed`, with an `error` event; returns what the request answers.
 */
export async function failRun(
  deps: EngineDeps,
  rec: RunRecorder,
  err: unknown,
  signal: AbortSignal,
): Promise<unknown> {
  const cancelled = err instanceof RunStopped || signal.aborted;
  const at = new Date(deps.now()).toISOString();
  let code: string;
  let message: string;
  let status: string;
  if (cancelled) {
    [status, code, message] = ['cancelled', 'cancelled', 'The run was cancelled'];
  } else if (err instanceof AppError) {
    status = err.code === 'budget_exceeded' ? 'budget_exceeded' : 'failed';
    code = err.code;
    message = typeof err.detail === 'string' ? err.detail : err.message;
  } else {
    [status, code, message] = ['failed', 'internal_error', 'The run failed unexpectedly'];
    deps.logger.error({ err, run_id: rec.runId }, 'Failed a run on an unexpected error');
  }
  try {
    const ended = await updateRun(
      deps.store,
      rec.tenant,
      rec.runId,
      { status: ['running'] },
      {
        status,
        error_code: code,
        error_message: message,
        prompt_tokens: rec.spent.prompt_tokens,
        completion_tokens: rec.spent.completion_tokens,
        total_tokens: rec.spent.total_tokens,
        cost_usd: rec.spent.cost_usd,
        finished_at: at,
        updated_at: at,
      },
    );
    if (ended) countRun(deps, rec.agentId, status);
    if (cancelled) await cancelRunningToolCalls(deps.store, rec.tenant, rec.runId, at);
    await rec.emit({ event_type: 'error', code, message, run_id: rec.runId });
  } catch (recordErr) {
    deps.logger.error({ err: recordErr, run_id: rec.runId }, 'Failed to record the end of a run');
  }
  return cancelled ? new ConflictError('The run was cancelled', 'run_cancelled') : err;
}

/** Counts a run reaching `status` under its agent's type. */
export function countRun(deps: EngineDeps, agentId: string, status: string): void {
  deps.metrics?.runStatus(deps.catalog.byId(agentId)?.agent_type ?? 'unknown', status);
}

/** An AbortController aborted with `signal` (a client that went away) or by a cancel. */
export function linkedController(signal?: AbortSignal): AbortController {
  const controller = new AbortController();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', () => controller.abort(), { once: true });
  return controller;
}
