import { Counter, type Registry } from 'prom-client';

/** What the engine counts: runs as they stop or end, by agent type and the status they reach. */
export interface RunMetrics {
  /** A run reached `status` (completed, awaiting_approval, rejected, failed, cancelled, budget_exceeded). */
  runStatus(agentType: string, status: string): void;
}

/** Registers the run metrics on the service's registry (its `/metrics`). */
export function createRunMetrics(registry: Registry): RunMetrics {
  const runs = new Counter({
    name: 'aegis_agent_runs_total',
    help: 'Agent runs by agent type and the status they reached (a run paused at an approval counts once as awaiting_approval, then again with its final status).',
    labelNames: ['agent_type', 'status'] as const,
    registers: [registry],
  });
  return { runStatus: (agentType, status) => runs.inc({ agent_type: agentType, status }) };
}
