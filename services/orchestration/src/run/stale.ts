import { cancelRunningToolCalls, staleRuns, updateRun } from '../store/runs';
import type { EngineDeps } from './deps';
import { countRun } from './failure';
import { RunRecorder } from './recorder';

/** A run that has not written for this long is no longer driven by anyone: every wait inside a run is
 * bounded far below it (TOOL_TIMEOUT_MS ≤ 10 min; LLM_TIMEOUT_MS × retries × two models), and each
 * planner turn and tool call writes. */
export const STALE_RUN_MS = 30 * 60 * 1000;

/**
 * Ends the runs a stopped process left `running` (they would hold their conversation for ever):
 * `failed` with `interrupted`, an `error` event for the conversation's streams. Runs this process
 * drives are left alone. Returns how many were ended.
 */
export async function failStaleRuns(
  deps: EngineDeps,
  drives: (runId: string) => boolean,
  staleMs = STALE_RUN_MS,
): Promise<number> {
  const at = new Date(deps.now()).toISOString();
  const before = new Date(deps.now() - staleMs).toISOString();
  let ended = 0;
  for (const run of await staleRuns(deps.store, before)) {
    if (drives(run.run_id)) continue;
    const message = 'The run was interrupted: the service stopped while it was in progress';
    const ok = await updateRun(
      deps.store,
      run.tenant_id,
      run.run_id,
      { status: ['running'] },
      {
        status: 'failed',
        error_code: 'interrupted',
        error_message: message,
        finished_at: at,
        updated_at: at,
      },
    );
    if (!ok) continue;
    ended += 1;
    countRun(deps, run.agent_id, 'failed');
    await cancelRunningToolCalls(deps.store, run.tenant_id, run.run_id, at);
    const rec = await RunRecorder.open(deps, {
      tenant: run.tenant_id,
      conversationId: run.conversation_id,
      runId: run.run_id,
      agentId: run.agent_id,
    });
    await rec.emit({ event_type: 'error', code: 'interrupted', message, run_id: run.run_id });
    deps.logger.warn({ tenant: run.tenant_id, run_id: run.run_id }, 'Ended an interrupted run');
  }
  return ended;
}
