/**
 * Wakes the open streams of a checklist when its assessment writes an event on this replica (streams
 * also poll the table, for assessments running on another replica).
 */
export interface AssessmentHub {
  notify(tenant: string, checklistId: string): void;
  subscribe(tenant: string, checklistId: string, wake: () => void): () => void;
}

export function createAssessmentHub(): AssessmentHub {
  const listeners = new Map<string, Set<() => void>>();
  const key = (tenant: string, checklistId: string) => `${tenant}\u0000${checklistId}`;
  return {
    notify(tenant, checklistId) {
      for (const wake of listeners.get(key(tenant, checklistId)) ?? []) wake();
    },
    subscribe(tenant, checklistId, wake) {
      const k = key(tenant, checklistId);
      const set = listeners.get(k) ?? new Set();
      set.add(wake);
      listeners.set(k, set);
      return () => {
        set.delete(wake);
        if (set.size === 0) listeners.delete(k);
      };
    },
  };
}
