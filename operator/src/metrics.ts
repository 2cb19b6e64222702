import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface OperatorMetrics {
  registry: Registry;
  reconciles: Counter<'outcome'>;
  reconcileErrors: Counter<'reason'>;
  reconcileDuration: Histogram<'outcome'>;
  queueDepth: Gauge;
  watchRestarts: Counter<'informer' | 'reason'>;
  writes: Counter<'verb' | 'resource'>;
  leader: Gauge;
  tenantsNotProgrammed: Gauge;
}

export function createOperatorMetrics(): OperatorMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'operator' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    reconciles: new Counter({
      name: 'aegis_operator_reconciles_total',
      help: 'Reconciles of AegisTenant keys, by outcome (success or error).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'aegis_operator_reconcile_errors_total',
      help: 'Failed reconciles, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'aegis_operator_reconcile_duration_seconds',
      help: 'Duration of one reconcile, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'aegis_operator_queue_depth',
      help: 'Keys waiting in the work queue.',
      registers,
    }),
    watchRestarts: new Counter({
      name: 'aegis_operator_watch_restarts_total',
      help: 'Watches restarted, by informer and reason (closed, error, gone, watchdog, list-failed).',
      labelNames: ['informer', 'reason'] as const,
      registers,
    }),
    writes: new Counter({
      name: 'aegis_operator_kube_writes_total',
      help: 'Write requests sent to the Kubernetes API server, by verb and resource.',
      labelNames: ['verb', 'resource'] as const,
      registers,
    }),
    leader: new Gauge({
      name: 'aegis_operator_leader',
      help: '1 while this replica holds the leader lease.',
      registers,
    }),
    tenantsNotProgrammed: new Gauge({
      name: 'aegis_operator_tenants_not_programmed',
      help: 'Accepted tenants whose current generation is not running on every gateway replica (pending, refused or too large), as of their last reconcile.',
      registers,
    }),
  };
}
