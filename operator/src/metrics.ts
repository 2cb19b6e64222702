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
  /** Tenants by condition type and status, counted from the watch cache at each scrape. */
  tenants: Gauge<'condition' | 'status'>;
  /** Where `tenants` counts from: the controller's cache of AegisTenants (set once it exists). */
  observeTenants(list: () => readonly TenantConditions[]): void;
  /** Accepted tenants whose current generation is not yet on every gateway replica. */
  tenantsNotProgrammed: Gauge;
}

/** What the tenants gauge reads of an AegisTenant. */
export interface TenantConditions {
  status?: { conditions?: readonly { type: string; status: string }[] };
}

/** The condition types the tenants gauge reports; a tenant without one counts as Unknown. */
export const COUNTED_CONDITIONS = ['Accepted', 'Programmed', 'Ready'] as const;

/** Tenants per condition and status (True, False, Unknown), every combination present (zeros too). */
export function countTenantConditions(tenants: readonly TenantConditions[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const condition of COUNTED_CONDITIONS)
    for (const status of ['True', 'False', 'Unknown']) counts.set(`${condition}/${status}`, 0);
  for (const t of tenants) {
    for (const condition of COUNTED_CONDITIONS) {
      const found = t.status?.conditions?.find((c) => c.type === condition)?.status;
      const status = found === 'True' || found === 'False' ? found : 'Unknown';
      const key = `${condition}/${status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

export function createOperatorMetrics(): OperatorMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'operator' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let listTenants: (() => readonly TenantConditions[]) | undefined;
  return {
    tenants: new Gauge({
      name: 'aegis_operator_tenants',
      help: 'AegisTenants by condition (Accepted, Programmed, Ready) and status (True, False, Unknown), from the watch cache.',
      labelNames: ['condition', 'status'] as const,
      registers,
      collect() {
        if (!listTenants) return;
        for (const [key, value] of countTenantConditions(listTenants())) {
          const [condition, status] = key.split('/');
          this.set({ condition, status }, value);
        }
      },
    }),
    observeTenants(list) {
      listTenants = list;
    },
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
