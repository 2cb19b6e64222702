import { z } from 'zod';

/**
 * The platform's one reading of calendar dates and instants in API inputs (README "API rules"):
 * a date is `YYYY-MM-DD` that exists on the calendar (no 2026-02-30, no month 13), years 0001–9999;
 * a date-time is RFC 3339 with seconds and an offset (`2026-03-01T06:30:00Z`,
 * `2026-03-01T06:30:00.5+02:00`) whose date part is such a date. The patterns are exact, so the
 * OpenAPI document (format + pattern) states precisely what the services accept.
 */

/** A leap day: years divisible by 4, except centuries not divisible by 400 (year 0000 is excluded
 * by the lookahead of DATE_SOURCE). */
const LEAP_DAY = String.raw`(?:\d\d(?:[2468][048]|[13579][26]|0[48])|(?:[02468][048]|[13579][26])00)-02-29`;
const OTHER_DAYS = String.raw`\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))`;
const DATE_SOURCE = `(?!0000)(?:${LEAP_DAY}|${OTHER_DAYS})`;
const TIME_SOURCE = String.raw`(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)`;

export const ISO_DATE_PATTERN = new RegExp(`^${DATE_SOURCE}$`);
export const ISO_DATE_TIME_PATTERN = new RegExp(`^${DATE_SOURCE}T${TIME_SOURCE}$`);

export const ISO_DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD that exists (year 0001-9999)';
export const ISO_DATE_TIME_MESSAGE =
  'must be an RFC 3339 date-time with seconds and an offset, e.g. 2026-03-01T06:30:00Z, on a date that exists';

/** Whether `value` is a calendar date `YYYY-MM-DD` that exists, years 0001–9999. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE_PATTERN.test(value);
}

/** Whether `value` is an RFC 3339 date-time with seconds and an offset on a date that exists. */
export function isIsoDateTime(value: string): boolean {
  return ISO_DATE_TIME_PATTERN.test(value);
}

/** A calendar date `YYYY-MM-DD` (OpenAPI `format: date` with the exact pattern). */
export function isoDate(message = ISO_DATE_MESSAGE) {
  return z.string().regex(ISO_DATE_PATTERN, { message }).meta({ format: 'date' });
}

/** An RFC 3339 date-time with offset (OpenAPI `format: date-time` with the exact pattern). */
export function isoDateTime(message = ISO_DATE_TIME_MESSAGE) {
  return z.string().regex(ISO_DATE_TIME_PATTERN, { message }).meta({ format: 'date-time' });
}
