import { ValidationError, type Queryable } from '@aegis/common';
import { isLabel, type GraphCaller, type KnowledgeGraphClient } from '@aegis/graph-client';
import { findFlareEvent, type Correlation } from '../store/flare-events';
import { getEvent } from './events-store';

/** Correlations of flare events and operational events: one rule for both correlate endpoints. */

export interface CorrelateRequest {
  targets: { kind: Correlation['kind']; id: string; label?: string }[];
  note?: string;
}

export interface CorrelationDeps {
  /** The service's store or a transaction of it (flare events and operational events). */
  store: Queryable;
  kg: Pick<KnowledgeGraphClient, 'getEntity'>;
}

/**
 * Adds the targets to `current`: each must exist in the tenant (a flare event, an operational event,
 * or a knowledge-graph entity with its label), never the event itself; a target already linked is
 * not added twice. A bad target is a 422 naming `body.targets.<i>`. Returns the new list.
 */
export async function addCorrelations(
  deps: CorrelationDeps,
  caller: GraphCaller,
  tenant: string,
  self: { kind: Correlation['kind']; id: string },
  current: readonly Correlation[],
  input: CorrelateRequest,
  by: string,
  at: string,
): Promise<Correlation[]> {
  const correlated = [...current];
  for (const [i, t] of input.targets.entries()) {
    const loc = ['body', 'targets', i];
    if (t.kind === self.kind && t.id === self.id)
      throw ValidationError.single([...loc, 'id'], 'an event cannot be correlated with itself');
    if (t.kind === 'flare_event') {
      if (!(await findFlareEvent(deps.store, tenant, t.id)))
        throw ValidationError.single([...loc, 'id'], `unknown flare event ${t.id}`, 'unknown_target');
    } else if (t.kind === 'event') {
      if (!(await getEvent(deps.store, tenant, t.id)))
        throw ValidationError.single([...loc, 'id'], `unknown event ${t.id}`, 'unknown_target');
    } else {
      if (!t.label)
        throw ValidationError.single([...loc, 'label'], 'an entity target needs its label', 'missing');
      if (!isLabel(t.label))
        throw ValidationError.single([...loc, 'label'], 'unknown label', 'unknown_label');
      if (!(await deps.kg.getEntity(caller, t.label, t.id)))
        throw ValidationError.single([...loc, 'id'], `unknown ${t.label} ${t.id}`, 'unknown_target');
    }
    const dup = correlated.some(
      (c) => c.kind === t.kind && c.id === t.id && (c.label ?? null) === (t.label ?? null),
    );
    if (!dup)
      correlated.push({
        kind: t.kind,
        id: t.id,
        ...(t.label ? { label: t.label } : {}),
        ...(input.note ? { note: input.note } : {}),
        correlated_by: by,
        correlated_at: at,
      });
  }
  return correlated;
}
