import { RULES, type AlertDraft } from './alerts';
import { monthBounds } from './dates';
import {
  authorizes,
  byWell,
  num,
  type AuthorizationInfo,
  type ProductionRecord,
  type WellInfo,
} from './portfolio';

/**
 * Gas-oil ratio anomaly: a month whose GOR is more than GOR_JUMP_FACTOR times the median GOR of the
 * well's previous GOR_HISTORY_MONTHS reported months (at least GOR_MIN_HISTORY of them), i.e. a break
 * from the well's own trend (gas coning, a failing lift, a mis-allocated report). This service's
 * choice; no rule sets it. Where a field rule or well order sets a limiting GOR (16 TAC §3.49(a): a
 * field's rules may set one; `gor_limit_scf_per_bbl` on the Field or the Well), a month over it is a
 * `gor_limit_exceeded`. Rule 49's statewide 2,000 cf/bbl is not applied by default: it limits the gas
 * an oil well may produce (its allowable), it does not make a higher ratio a violation, and it would
 * flag ordinary Permian oil wells every month.
 */
export const GOR_JUMP_FACTOR = 2;
export const GOR_HISTORY_MONTHS = 6;
export const GOR_MIN_HISTORY = 2;

/** The properties the thresholds are read from (well first, then its field). */
export const PROPS = {
  /** Daily oil allowable (16 TAC §3.52 / the field's proration schedule), barrels per day; a record's
   * own `allowable_bbl` (the month's allowable on Form PR) wins. */
  allowable: 'oil_allowable_bbl_per_day',
  gorLimit: 'gor_limit_scf_per_bbl',
} as const;

/** A well's setting: the well's own property, else its field's. */
export function wellSetting(well: WellInfo, prop: string): { value: number; from: string } | undefined {
  const own = num(well.properties[prop]);
  if (own !== undefined) return { value: own, from: `Well ${well.id}.${prop}` };
  const field = well.field ? num(well.field.properties[prop]) : undefined;
  if (field !== undefined && well.field) return { value: field, from: `Field ${well.field.id}.${prop}` };
  return undefined;
}

/** The gas-oil ratio in scf per barrel (gas mcf × 1000 / oil bbl); undefined without oil. */
export function gasOilRatio(r: ProductionRecord): number | undefined {
  if (!r.oil_bbl || r.oil_bbl <= 0 || r.gas_mcf === undefined) return undefined;
  return (r.gas_mcf * 1000) / r.oil_bbl;
}

/** The authorisations of `wellId` valid on at least one day of the month (effective ≤ last day,
 * expiry ≥ first day, status approved/active). Monthly records do not say which days flared, so an
 * authorisation covering part of the month counts. */
export function authorizationsCovering(
  auths: readonly AuthorizationInfo[],
  wellId: string,
  period: string,
): AuthorizationInfo[] {
  const { first, last } = monthBounds(period);
  return auths.filter(
    (a) =>
      a.wellIds.includes(wellId) &&
      authorizes(a.status) &&
      a.effectiveDate !== undefined &&
      a.expiryDate !== undefined &&
      a.effectiveDate <= last &&
      a.expiryDate >= first,
  );
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The production anomalies of one well in one month. */
export function recordAlerts(
  well: WellInfo,
  r: ProductionRecord,
  auths: readonly AuthorizationInfo[],
  /** The well's records before this one, oldest first (the GOR baseline). */
  previous: readonly ProductionRecord[] = well.production.filter((p) => p.period < r.period),
): AlertDraft[] {
  const alerts: AlertDraft[] = [];
  const entity = { label: 'Well', id: well.id };
  const source = { well_id: well.id, period: r.period, record: r };
  const { days } = monthBounds(r.period);

  // Allowable exceedance (16 TAC §3.52): oil produced over the month's allowable: the record's
  // `allowable_bbl`, else the daily allowable × days in the month.
  const daily = wellSetting(well, PROPS.allowable);
  const allowable =
    r.allowable_bbl !== undefined
      ? { monthly: r.allowable_bbl, perDay: null, from: `production record ${r.period}.allowable_bbl` }
      : daily && { monthly: daily.value * days, perDay: daily.value, from: daily.from };
  if (allowable && r.oil_bbl !== undefined) {
    const monthly = allowable.monthly;
    if (r.oil_bbl > monthly)
      alerts.push({
        level: 'critical',
        code: 'allowable_exceeded',
        rule: RULES.allowable,
        entity,
        message: `Well ${well.id} produced ${r.oil_bbl} bbl of oil in ${r.period}, over its allowable of ${monthly} bbl`,
        data: {
          ...source,
          oil_bbl: r.oil_bbl,
          allowable_bbl_per_day: allowable.perDay,
          allowable_from: allowable.from,
          days_in_month: days,
          allowable_bbl: monthly,
          excess_bbl: round(r.oil_bbl - monthly, 3),
        },
        dedupe_key: `allowable_exceeded:Well:${well.id}:${r.period}`,
      });
  }

  // Gas-oil ratio: a break from the well's own trend, and over a field rule's limiting GOR (§3.49(a)).
  const gor = gasOilRatio(r);
  if (gor !== undefined && well.wellType !== 'gas') {
    const gorData = { ...source, gas_mcf: r.gas_mcf, oil_bbl: r.oil_bbl, gor_scf_per_bbl: round(gor) };
    const history = previous
      .slice(-GOR_HISTORY_MONTHS)
      .map(gasOilRatio)
      .filter((g): g is number => g !== undefined);
    const baseline = history.length >= GOR_MIN_HISTORY ? median(history) : undefined;
    if (baseline !== undefined && gor > GOR_JUMP_FACTOR * baseline)
      alerts.push({
        level: 'warning',
        code: 'gor_anomaly',
        rule: RULES.gor,
        entity,
        message: `Well ${well.id} had a gas-oil ratio of ${round(gor)} scf/bbl in ${r.period}, over ${GOR_JUMP_FACTOR} × its median of ${round(baseline)}`,
        data: {
          ...gorData,
          baseline_scf_per_bbl: round(baseline),
          baseline_months: history.length,
          factor: GOR_JUMP_FACTOR,
        },
        dedupe_key: `gor_anomaly:Well:${well.id}:${r.period}`,
      });
    const limit = wellSetting(well, PROPS.gorLimit);
    if (limit && gor > limit.value)
      alerts.push({
        level: 'warning',
        code: 'gor_limit_exceeded',
        rule: RULES.gor,
        entity,
        message: `Well ${well.id} had a gas-oil ratio of ${round(gor)} scf/bbl in ${r.period}, over its limit of ${limit.value}`,
        data: { ...gorData, limit_scf_per_bbl: limit.value, limit_from: limit.from },
        dedupe_key: `gor_limit_exceeded:Well:${well.id}:${r.period}`,
      });
  }

  // Zero production on a well reported active (16 TAC §3.14: it is on its way to being inactive).
  const produced = (r.oil_bbl ?? 0) + (r.gas_mcf ?? 0) + (r.condensate_bbl ?? 0);
  if (well.status === 'active' && produced === 0)
    alerts.push({
      level: 'warning',
      code: 'zero_production',
      rule: RULES.inactive,
      entity,
      message: `Well ${well.id} is active but reported no oil, gas or condensate for ${r.period}`,
      data: { ...source, well_status: well.status, oil_bbl: r.oil_bbl ?? 0, gas_mcf: r.gas_mcf ?? 0 },
      dedupe_key: `zero_production:Well:${well.id}:${r.period}`,
    });

  // Flaring or venting (dispositions 10 and 11) with no authorisation valid in the month (Rule 32).
  const flared = (r.flared_mcf ?? 0) + (r.vented_mcf ?? 0);
  if (flared > 0 && authorizationsCovering(auths, well.id, r.period).length === 0)
    alerts.push({
      level: 'critical',
      code: 'unauthorized_flaring',
      rule: RULES.rule32,
      entity,
      message: `Well ${well.id} flared or vented ${flared} mcf in ${r.period} with no valid Rule 32 authorisation`,
      data: {
        ...source,
        flared_mcf: r.flared_mcf ?? 0,
        vented_mcf: r.vented_mcf ?? 0,
        authorizations_of_well: auths.filter((a) => a.wellIds.includes(well.id)).map((a) => a.id),
      },
      dedupe_key: `unauthorized_flaring:Well:${well.id}:${r.period}`,
    });
  return alerts;
}

/** `YYYY-MM` of a date, and `months` months before it (inclusive window of `months` periods). */
export function periodWindow(asOf: string, months: number): { from: string; to: string } {
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7));
  const start = y * 12 + (m - 1) - (months - 1);
  const from = `${String(Math.floor(start / 12)).padStart(4, '0')}-${String((start % 12) + 1).padStart(2, '0')}`;
  return { from, to: asOf.slice(0, 7) };
}

/** A well's production alerts month by month in [window.from, window.to], oldest first: one pass over
 * its records (the earlier ones still feed the GOR baseline). `auths` are the well's authorisations. */
export function wellProductionAlerts(
  well: WellInfo,
  auths: readonly AuthorizationInfo[],
  window: { from: string; to: string },
): { period: string; alerts: AlertDraft[] }[] {
  const out: { period: string; alerts: AlertDraft[] }[] = [];
  well.production.forEach((r, i) => {
    if (r.period < window.from || r.period > window.to) return;
    const previous = well.production.slice(Math.max(0, i - GOR_HISTORY_MONTHS), i);
    out.push({ period: r.period, alerts: recordAlerts(well, r, auths, previous) });
  });
  return out;
}

export function productionAlerts(
  wells: readonly WellInfo[],
  auths: readonly AuthorizationInfo[],
  window: { from: string; to: string },
): AlertDraft[] {
  const authsOf = byWell(auths);
  return wells.flatMap((w) =>
    wellProductionAlerts(w, authsOf.get(w.id) ?? [], window).flatMap((m) => m.alerts),
  );
}
