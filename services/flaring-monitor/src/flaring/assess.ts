import type { EntityView, GraphCaller } from '@aegis/graph-client';
import { todayOf } from '../domain/days';
import {
  assessAuthorization,
  covers,
  highestLevel,
  MAX_AUTHORISED_DAYS,
  OOOOB_SPUD_AFTER,
  oooobAlerts,
  oooobApplies,
  unauthorisedAlerts,
  authorizationOf,
  type AlertDraft,
  type AlertLevel,
  type Authorization,
  type AuthorizationAssessment,
  type FlareVolume,
} from '../domain/rule32';
import { flareVolumes, linkedIds, unauthorisedVolumes } from '../store/flare-events';
import { authorizationsOfWell, normaliseWellId, requireAuthorization, requireWell } from './assets';
import type { FlaringDeps } from './deps';

export interface UnauthorisedAssessment {
  well_id: string;
  events: number;
  volume_mcf: number;
  level: AlertLevel | 'ok';
  alerts: AlertDraft[];
}

export interface OooobAssessment {
  well_id: string;
  spud_date: string;
  events: number;
  alerts: AlertDraft[];
}

export interface Assessment {
  as_of: string;
  well_id: string | null;
  level: AlertLevel | 'ok';
  authorizations: AuthorizationAssessment[];
  unauthorized: UnauthorisedAssessment[];
  oooob: OooobAssessment[];
  /** Every alert above, in one list (what the sweep records). */
  alerts: AlertDraft[];
  summary: Record<AlertLevel, number>;
}

export interface AssessScope {
  well_id?: string;
  authorization_id?: string;
  as_of?: string;
}

const groupByWell = (events: FlareVolume[]) => {
  const by = new Map<string, FlareVolume[]>();
  for (const e of events) by.set(e.well_id, [...(by.get(e.well_id) ?? []), e]);
  return by;
};

/**
 * Rule 32 assessment of a tenant's flaring (domain.md "Monitoring thresholds"): cumulative volume and
 * days used against each authorisation, flaring without a valid authorisation, and NSPS OOOOb
 * applicability. Scope: one well (its authorisations, direct or lease-wide, and its unauthorised
 * events), one authorisation, or the whole tenant (every authorisation its events are linked to, every
 * authorisation current in the knowledge graph, every unauthorised event).
 */
export async function assess(
  deps: FlaringDeps,
  caller: GraphCaller,
  tenant: string,
  scope: AssessScope = {},
): Promise<Assessment> {
  const asOf = scope.as_of ?? todayOf(deps.now());
  const { kg, store } = deps;
  let auths: Authorization[];
  let wellId: string | null = null;
  const spud = new Map<string, string>();
  if (scope.well_id !== undefined) {
    wellId = normaliseWellId(scope.well_id, ['body', 'well_id']);
    const well = await requireWell(kg, caller, wellId, ['body', 'well_id']);
    if (oooobApplies(well.properties.spud_date)) spud.set(wellId, String(well.properties.spud_date));
    auths = await authorizationsOfWell(kg, caller, wellId);
    if (scope.authorization_id !== undefined)
      auths = auths.filter((a) => a.authorization_id === scope.authorization_id);
  } else if (scope.authorization_id !== undefined) {
    auths = [await requireAuthorization(kg, caller, scope.authorization_id, ['body', 'authorization_id'])];
  } else {
    const linked = await linkedIds(store, tenant);
    const current = (await kg.query(caller, 'authorizations_expiring', {
      days: MAX_AUTHORISED_DAYS,
      as_of: asOf,
    })) as EntityView[];
    const byId = new Map(current.map((e) => [e.entity_id, authorizationOf(e.entity_id, e.properties)]));
    for (const id of linked.authorizationIds) {
      if (byId.has(id)) continue;
      const entity = await kg.getEntity(caller, 'FlaringAuthorization', id);
      if (entity) byId.set(id, authorizationOf(entity.entity_id, entity.properties));
    }
    auths = [...byId.values()].sort((a, b) => (a.authorization_id < b.authorization_id ? -1 : 1));
    const oooobWells = (await kg.query(caller, 'wells_spudded_after', {
      date: OOOOB_SPUD_AFTER,
    })) as EntityView[];
    const withEvents = new Set(linked.wellIds);
    for (const w of oooobWells)
      if (withEvents.has(w.entity_id) && oooobApplies(w.properties.spud_date))
        spud.set(w.entity_id, String(w.properties.spud_date));
  }

  const authorizations: AuthorizationAssessment[] = [];
  // Events linked to an authorisation that does not cover them (pending, denied, or outside its
  // period) are flaring without a valid authorisation too (16 TAC §3.32); they still count against
  // the authorisation's volume.
  const uncovered: FlareVolume[] = [];
  for (const a of auths) {
    const events = await flareVolumes(store, tenant, { authorization_id: a.authorization_id });
    authorizations.push(assessAuthorization(a, events, asOf));
    uncovered.push(
      ...events.filter((e) => !covers(a, e.start_time) && (wellId === null || e.well_id === wellId)),
    );
  }
  // Wells of an authorisation scope: their spud dates decide OOOOb.
  if (scope.well_id === undefined && scope.authorization_id !== undefined)
    for (const w of authorizations.flatMap((x) => x.well_ids)) {
      const well = await kg.getEntity(caller, 'Well', w);
      if (well && oooobApplies(well.properties.spud_date)) spud.set(w, String(well.properties.spud_date));
    }

  const unauthorized: UnauthorisedAssessment[] = [];
  const withoutAuthorization =
    scope.authorization_id === undefined ? await unauthorisedVolumes(store, tenant, wellId ?? undefined) : [];
  for (const [w, events] of [...groupByWell([...withoutAuthorization, ...uncovered])].sort((a, b) =>
    a[0] < b[0] ? -1 : 1,
  )) {
    const alerts = unauthorisedAlerts(events);
    unauthorized.push({
      well_id: w,
      events: events.length,
      volume_mcf: Math.round(events.reduce((s, e) => s + e.volume_mcf, 0) * 1000) / 1000,
      level: highestLevel(alerts),
      alerts,
    });
  }

  const oooob: OooobAssessment[] = [];
  for (const [w, date] of [...spud].sort()) {
    const events = await flareVolumes(store, tenant, { well_id: w });
    if (events.length === 0) continue;
    oooob.push({
      well_id: w,
      spud_date: date.slice(0, 10),
      events: events.length,
      alerts: oooobAlerts(date, events),
    });
  }

  const alerts = [
    ...authorizations.flatMap((a) => a.alerts),
    ...unauthorized.flatMap((u) => u.alerts),
    ...oooob.flatMap((o) => o.alerts),
  ];
  const summary = { critical: 0, warning: 0, info: 0 };
  for (const a of alerts) summary[a.level] += 1;
  return {
    as_of: asOf,
    well_id: wellId,
    level: highestLevel(alerts),
    authorizations,
    unauthorized,
    oooob,
    alerts,
    summary,
  };
}

/**
 * The whole tenant's assessment for the scheduled sweep: `caller` is a service
 * identity's caller for the tenant (`{ token, tenantId }`). The sweep records `alerts` (deduplicated
 * by `dedupe_key`) and publishes the new ones.
 */
export async function assessTenant(
  deps: FlaringDeps,
  caller: { token: string; tenantId: string },
  asOf?: string,
): Promise<Assessment> {
  return assess(deps, caller, caller.tenantId, asOf ? { as_of: asOf } : {});
}
