import type { AlertDraft, AlertLevel } from '@aegis/common';
import { addDays, dateOf, daysBetween } from './days';
import type { Disposition } from './dispositions';

/**
 * Rule 32 (16 TAC §3.32) monitoring: a flaring authorisation (an approved Form R-32 exception) allows
 * at most `max_volume_mcf_per_day` for at most 180 days, until its expiry date. Thresholds of
 * domain.md "Monitoring thresholds".
 *
 * Decision (README "Authorised volume"): the authorised total volume is
 * max mcf/day × authorised days, where authorised days = days from effective_date to expiry_date,
 * at most the 180 days Rule 32 allows. Days used = whole days elapsed since effective_date as of the
 * assessment date (the effective date itself is day 0), at most the authorised days.
 */
export const RULE_32 = '16 TAC §3.32 (Rule 32)';
export const NSPS_OOOOB = 'EPA NSPS 40 CFR 60 Subpart OOOOb';
/** 16 TAC §3.32: an exception is granted for at most 180 days at a time. */
export const MAX_AUTHORISED_DAYS = 180;
/** Cumulative volume at or above this share of the authorised volume → warning. */
export const VOLUME_WARNING_PCT = 80;
/** … at or above the whole authorised volume → critical. */
export const VOLUME_CRITICAL_PCT = 100;
/** 150 of the 180 authorised days used → warning. */
export const DAYS_WARNING = 150;
/** Wells spudded after this date are subject to NSPS OOOOb (domain.md). */
export const OOOOB_SPUD_AFTER = '2021-11-15';
/** Authorisation statuses that allow flaring (others, e.g. pending, denied, do not). */
export const VALID_AUTHORIZATION_STATUSES = ['approved', 'active'] as const;

/** Alerts use the monitors' shared shape (`AlertDraft` of @aegis/common). */
export type { AlertDraft, AlertLevel };
export const LEVEL_ORDER: Record<AlertLevel | 'ok', number> = { ok: 0, info: 1, warning: 2, critical: 3 };

export interface Authorization {
  authorization_id: string;
  status: string;
  effective_date: string;
  expiry_date: string;
  max_volume_mcf_per_day: number;
}

export interface FlareVolume {
  event_id: string;
  well_id: string;
  start_time: string;
  end_time: string;
  volume_mcf: number;
  disposition: Disposition;
}

/** Reads an authorisation from a knowledge-graph FlaringAuthorization entity's properties. */
export function authorizationOf(entityId: string, p: Record<string, unknown>): Authorization {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const max = Number(p.max_volume_mcf_per_day);
  return {
    authorization_id: entityId,
    status: text(p.status) || 'approved',
    effective_date: text(p.effective_date),
    expiry_date: text(p.expiry_date),
    max_volume_mcf_per_day: Number.isFinite(max) && max >= 0 ? max : 0,
  };
}

export function isValidStatus(a: Authorization): boolean {
  return (VALID_AUTHORIZATION_STATUSES as readonly string[]).includes(a.status);
}

/** Whether the authorisation covers flaring that started at `time` (its date within the period, and
 * the authorisation in a status that allows flaring). */
export function covers(a: Authorization, time: string): boolean {
  const d = dateOf(time);
  return isValidStatus(a) && a.effective_date <= d && d <= a.expiry_date;
}

export function authorisedDays(a: Authorization): number {
  return Math.max(0, Math.min(MAX_AUTHORISED_DAYS, daysBetween(a.effective_date, a.expiry_date)));
}

export function authorisedVolume(a: Authorization): number {
  return a.max_volume_mcf_per_day * authorisedDays(a);
}

export interface AuthorizationAssessment {
  authorization_id: string;
  status: string;
  effective_date: string;
  expiry_date: string;
  max_volume_mcf_per_day: number;
  well_ids: string[];
  authorised_days: number;
  authorised_volume_mcf: number;
  cumulative_volume_mcf: number;
  remaining_volume_mcf: number;
  volume_pct: number;
  days_used: number;
  days_remaining: number;
  expired: boolean;
  events: number;
  level: AlertLevel | 'ok';
  alerts: AlertDraft[];
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Cumulative volume and days used against one authorisation, with its alerts. */
export function assessAuthorization(
  a: Authorization,
  events: FlareVolume[],
  asOf: string,
): AuthorizationAssessment {
  const days = authorisedDays(a);
  const volume = authorisedVolume(a);
  const cumulative = events.reduce((s, e) => s + e.volume_mcf, 0);
  const pct = volume > 0 ? (cumulative / volume) * 100 : cumulative > 0 ? Infinity : 0;
  const elapsed = daysBetween(a.effective_date, asOf);
  const daysUsed = Math.max(0, Math.min(days, elapsed));
  const expired = asOf > a.expiry_date;
  const entity = { label: 'FlaringAuthorization', id: a.authorization_id };
  const key = (code: string) => `${code}:FlaringAuthorization:${a.authorization_id}`;
  const numbers = {
    cumulative_volume_mcf: round(cumulative),
    authorised_volume_mcf: round(volume),
    volume_pct: Number.isFinite(pct) ? round(pct, 2) : null,
    max_volume_mcf_per_day: a.max_volume_mcf_per_day,
    authorised_days: days,
    days_used: daysUsed,
    effective_date: a.effective_date,
    expiry_date: a.expiry_date,
    as_of: asOf,
  };
  const alerts: AlertDraft[] = [];
  if (pct >= VOLUME_CRITICAL_PCT)
    alerts.push({
      code: 'volume_100pct',
      level: 'critical',
      rule: RULE_32,
      entity,
      message: `Authorisation ${a.authorization_id}: ${round(cumulative)} mcf flared, at or over the authorised ${round(volume)} mcf`,
      data: numbers,
      dedupe_key: key('volume_100pct'),
    });
  else if (pct >= VOLUME_WARNING_PCT)
    alerts.push({
      code: 'volume_80pct',
      level: 'warning',
      rule: RULE_32,
      entity,
      message: `Authorisation ${a.authorization_id}: ${round(cumulative)} mcf flared, at least 80 % of the authorised ${round(volume)} mcf`,
      data: numbers,
      dedupe_key: key('volume_80pct'),
    });
  if (expired)
    alerts.push({
      code: 'authorization_expired',
      level: 'critical',
      rule: RULE_32,
      entity,
      message: `Authorisation ${a.authorization_id} expired on ${a.expiry_date}`,
      data: numbers,
      dedupe_key: key('authorization_expired'),
    });
  else if (daysUsed >= DAYS_WARNING)
    alerts.push({
      code: 'days_150',
      level: 'warning',
      rule: RULE_32,
      entity,
      message: `Authorisation ${a.authorization_id}: ${daysUsed} of ${days} authorised days used`,
      data: numbers,
      dedupe_key: key('days_150'),
    });
  return {
    authorization_id: a.authorization_id,
    status: a.status,
    effective_date: a.effective_date,
    expiry_date: a.expiry_date,
    max_volume_mcf_per_day: a.max_volume_mcf_per_day,
    well_ids: [...new Set(events.map((e) => e.well_id))].sort(),
    authorised_days: days,
    authorised_volume_mcf: round(volume),
    cumulative_volume_mcf: round(cumulative),
    remaining_volume_mcf: round(Math.max(0, volume - cumulative)),
    volume_pct: Number.isFinite(pct) ? round(pct, 2) : 100,
    days_used: daysUsed,
    days_remaining: Math.max(0, days - daysUsed),
    expired,
    events: events.length,
    level: highestLevel(alerts),
    alerts,
  };
}

export function highestLevel(alerts: readonly { level: AlertLevel }[]): AlertLevel | 'ok' {
  return alerts.reduce<AlertLevel | 'ok'>(
    (top, a) => (LEVEL_ORDER[a.level] > LEVEL_ORDER[top] ? a.level : top),
    'ok',
  );
}

/** Flaring with no valid authorisation (domain.md: any such flaring → critical): one alert per event. */
export function unauthorisedAlerts(events: FlareVolume[]): AlertDraft[] {
  return events.map((e) => ({
    code: 'unauthorized_flaring',
    level: 'critical' as const,
    rule: RULE_32,
    entity: { label: 'Well', id: e.well_id },
    message: `Well ${e.well_id}: ${e.volume_mcf} mcf ${e.disposition === '11' ? 'vented' : 'flared'} from ${e.start_time} with no valid authorisation`,
    data: {
      event_id: e.event_id,
      volume_mcf: e.volume_mcf,
      disposition: e.disposition,
      start_time: e.start_time,
      end_time: e.end_time,
    },
    dedupe_key: `unauthorized_flaring:Well:${e.well_id}:${e.event_id}`,
  }));
}

/** Whether a well spudded on `spudDate` is subject to NSPS OOOOb (spudded after 2021-11-15). */
export function oooobApplies(spudDate: unknown): boolean {
  return typeof spudDate === 'string' && dateOf(spudDate) > OOOOB_SPUD_AFTER;
}

/** NSPS OOOOb applicability: an info alert on each flare event of a well spudded after 2021-11-15. */
export function oooobAlerts(spudDate: string, events: FlareVolume[]): AlertDraft[] {
  return events.map((e) => ({
    code: 'oooob_applicable',
    level: 'info' as const,
    rule: NSPS_OOOOB,
    entity: { label: 'Well', id: e.well_id },
    message: `Well ${e.well_id} was spudded on ${dateOf(spudDate)} (after ${OOOOB_SPUD_AFTER}): its flaring is subject to NSPS OOOOb`,
    data: { event_id: e.event_id, spud_date: dateOf(spudDate), volume_mcf: e.volume_mcf },
    dedupe_key: `oooob_applicable:Well:${e.well_id}:${e.event_id}`,
  }));
}

/** Re-exported for the forecast: the date the 180-day limit of an authorisation is reached. */
export function durationLimitDate(a: Authorization): string {
  return addDays(a.effective_date, MAX_AUTHORISED_DAYS);
}
