import type { Migration, Queryable } from '@aegis/common';
import type { MonitorState, MonitorStateStore } from './types';

/** One row per tenant and scheduled agent: what its previous run saw (`seen`: a JSON array of alert
 * keys), the conversation its runs append to, and the last run. */
export interface MonitorStateTables {
  monitor_agent_state: {
    tenant_id: string;
    agent_id: string;
    seen: string;
    conversation_id: string | null;
    last_run_id: string | null;
    last_run_at: string;
  };
}

/**
 * In the service's list (`SERVICE_MIGRATIONS`) in id order: after the numbered ids and the modules'
 * `checklists_…` and `rules_…`, before the kit's `sweeper_…`.
 */
export const monitorStateMigrations: readonly Migration[] = [
  {
    id: 'schedule_0001_monitor_agent_state',
    up: `
      CREATE TABLE monitor_agent_state (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        seen TEXT NOT NULL,
        conversation_id TEXT,
        last_run_id TEXT,
        last_run_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, agent_id)
      );
    `,
  },
];

/** The state in the service's store (both databases). */
export function createMonitorStateStore(q: Queryable<MonitorStateTables>): MonitorStateStore {
  return {
    async get(tenantId, agentId) {
      const row = await q.db
        .selectFrom('monitor_agent_state')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('agent_id', '=', agentId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        seen: JSON.parse(row.seen) as string[],
        conversation_id: row.conversation_id ?? undefined,
        last_run_id: row.last_run_id ?? undefined,
        last_run_at: row.last_run_at,
      };
    },
    async put(tenantId, agentId, state) {
      const values = {
        seen: JSON.stringify(state.seen),
        conversation_id: state.conversation_id ?? null,
        last_run_id: state.last_run_id ?? null,
        last_run_at: state.last_run_at,
      };
      await q.db
        .insertInto('monitor_agent_state')
        .values({ tenant_id: tenantId, agent_id: agentId, ...values })
        .onConflict((oc) => oc.columns(['tenant_id', 'agent_id']).doUpdateSet(values))
        .execute();
    },
  };
}

/** The state in memory (tests, or a deployment without a store). */
export function createMemoryMonitorStateStore(): MonitorStateStore {
  const rows = new Map<string, MonitorState>();
  const key = (t: string, a: string) => JSON.stringify([t, a]);
  return {
    get: (t, a) => Promise.resolve(structuredClone(rows.get(key(t, a)))),
    put: (t, a, state) => {
      rows.set(key(t, a), structuredClone(state));
      return Promise.resolve();
    },
  };
}
