import { ValidationError } from '@aegis/common';
import type { EntityView, GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import type { AlertDraft } from './domain/alerts';
import { text } from './domain/portfolio';
import { report } from './reports';

type Step = { rel_type: string; direction: 'in' | 'out' };
const inn = (rel_type: string): Step => ({ rel_type, direction: 'in' });
const out = (rel_type: string): Step => ({ rel_type, direction: 'out' });

/** The graph paths from a changed rule to the wells it affects, each with the name the answer gives it. */
const PATHS: Record<'Regulation' | 'Field' | 'Formation', { via: string; path: Step[] }[]> = {
  Regulation: [
    { via: 'Well GOVERNED_BY', path: [inn('GOVERNED_BY')] },
    { via: 'Field GOVERNED_BY ← Well IN_FIELD', path: [inn('GOVERNED_BY'), inn('IN_FIELD')] },
    { via: 'Lease GOVERNED_BY ← Well ON_LEASE', path: [inn('GOVERNED_BY'), inn('ON_LEASE')] },
    {
      via: 'Field GOVERNED_BY ← Lease IN_FIELD ← Well ON_LEASE',
      path: [inn('GOVERNED_BY'), inn('IN_FIELD'), inn('ON_LEASE')],
    },
    {
      via: 'FlaringAuthorization GOVERNED_BY → AUTHORIZES Well',
      path: [inn('GOVERNED_BY'), out('AUTHORIZES')],
    },
  ],
  Field: [
    { via: 'Well IN_FIELD', path: [inn('IN_FIELD')] },
    { via: 'Lease IN_FIELD ← Well ON_LEASE', path: [inn('IN_FIELD'), inn('ON_LEASE')] },
  ],
  Formation: [{ via: 'Well PRODUCES_FROM', path: [inn('PRODUCES_FROM')] }],
};

export interface RuleChangeInput {
  regulation_id?: string;
  field_id?: string;
  formation_id?: string;
  operator_id?: string;
  description?: string;
  effective_date?: string;
}

/** Which wells a changed regulation, field rule or formation rule affects, by the graph's edges. */
export async function ruleChangeImpact(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  input: RuleChangeInput,
) {
  const [label, id, field] = (
    input.regulation_id !== undefined
      ? ['Regulation', input.regulation_id, 'regulation_id']
      : input.field_id !== undefined
        ? ['Field', input.field_id, 'field_id']
        : ['Formation', input.formation_id!, 'formation_id']
  ) as ['Regulation' | 'Field' | 'Formation', string, string];
  const changed = await kg.getEntity(caller, label, id);
  if (!changed) throw ValidationError.single(['body', field], `no ${label} ${id}`);
  if (input.operator_id !== undefined && !(await kg.getEntity(caller, 'Operator', input.operator_id)))
    throw ValidationError.single(['body', 'operator_id'], `no operator ${input.operator_id}`);

  const wells = new Map<string, { well: EntityView; via: string[] }>();
  for (const p of PATHS[label]) {
    const rows = (await kg.query(caller, 'connected_by_path', {
      label,
      entity_id: id,
      path: p.path,
      target_label: 'Well',
      limit: 5000,
    })) as EntityView[];
    for (const w of rows) {
      const entry = wells.get(w.entity_id) ?? { well: w, via: [] };
      entry.via.push(p.via);
      wells.set(w.entity_id, entry);
    }
  }
  if (input.operator_id !== undefined) {
    const ofOperator = new Set(
      ((await kg.query(caller, 'wells_by_operator', { operator_id: input.operator_id })) as EntityView[]).map(
        (w) => w.entity_id,
      ),
    );
    for (const key of [...wells.keys()]) if (!ofOperator.has(key)) wells.delete(key);
  }
  const affected = [...wells.values()]
    .sort((a, b) => (a.well.entity_id < b.well.entity_id ? -1 : 1))
    .map(({ well, via }) => ({
      well_id: well.entity_id,
      name: text(well.properties.name),
      status: text(well.properties.status),
      via,
    }));
  const citation = text(changed.properties.citation);
  const rule = citation ?? `${label} ${id}${label === 'Regulation' ? '' : ' rules'}`;
  const effective = input.effective_date ?? null;
  const alerts: AlertDraft[] = affected.map((w) => ({
    level: 'info',
    code: 'rule_change',
    rule,
    entity: { label: 'Well', id: w.well_id },
    message: `A change to ${rule}${effective ? ` effective ${effective}` : ''} affects well ${w.well_id}`,
    data: {
      changed: { label, id },
      via: w.via,
      effective_date: effective,
      description: input.description ?? null,
    },
    dedupe_key: `rule_change:Well:${w.well_id}:${label}:${id}:${effective ?? '-'}`,
  }));
  return {
    changed: { label, id, name: text(changed.properties.name), citation },
    effective_date: effective,
    description: input.description ?? null,
    affected_wells: affected,
    ...report(alerts),
  };
}
