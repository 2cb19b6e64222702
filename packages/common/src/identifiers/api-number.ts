import { parsedFail, parsedOk, type Parsed } from './parsed';

/**
 * API well numbers, the one rule for every service (what ingestion accepts in a file is what the
 * knowledge graph accepts in a request). Stored as 14 digits, the API-14 form: state (2), county (3),
 * unique well number (5), sidetrack (2), event sequence (2). Accepted with or without dashes or spaces
 * as 10 digits (`0000` appended), 12 digits (`00` appended) or 14 digits.
 *
 * Texas only: state code 42, and the county code is the county's FIPS code, odd from 001 (Anderson) to
 * 507 (Zavala); 000 and even codes name no Texas county. The unique well number is never 00000.
 */
export const TEXAS_STATE_CODE = '42';
export const TEXAS_COUNTY_CODE_MAX = 507;

/**
 * The canonical written forms of a Texas API number as a regular expression, for API documents: 42,
 * an odd county code 001–507, a unique well number other than 00000, then up to two two-digit groups,
 * each group optionally after a dash or space. Every string it matches is accepted by `parseApiNumber`
 * (which also takes separators elsewhere and surrounding spaces).
 */
export const API_NUMBER_PATTERN =
  '^42[ -]?(?:[0-4][0-9][13579]|50[1357])[ -]?(?:[1-9][0-9]{4}|0[1-9][0-9]{3}|00[1-9][0-9]{2}|000[1-9][0-9]|0000[1-9])(?:[ -]?[0-9]{2}){0,2}$';

/** True for a three-digit Texas county code (odd, 001–507). */
export function isTexasCountyCode(code: string): boolean {
  if (!/^\d{3}$/.test(code)) return false;
  const n = Number(code);
  return n >= 1 && n <= TEXAS_COUNTY_CODE_MAX && n % 2 === 1;
}

export function parseApiNumber(input: string): Parsed<string> {
  const text = input.trim();
  if (!/^[0-9][0-9 -]*$/.test(text)) return parsedFail('must contain only digits and dashes');
  const digits = text.replace(/[ -]/g, '');
  let value: string;
  if (digits.length === 14) value = digits;
  else if (digits.length === 12) value = `${digits}00`;
  else if (digits.length === 10) value = `${digits}0000`;
  else return parsedFail(`must have 10, 12 or 14 digits (SS-CCC-NNNNN-XX), got ${digits.length}`);
  if (!value.startsWith(TEXAS_STATE_CODE)) return parsedFail('must be a Texas API number (state code 42)');
  if (!isTexasCountyCode(value.slice(2, 5)))
    return parsedFail('county code must be a Texas county (odd, 001 to 507)');
  if (value.slice(5, 10) === '00000') return parsedFail('unique well number must not be 00000');
  return parsedOk(value);
}

/** True when `s` is shaped like an API number someone typed (so a Well id in a path is normalised). */
export function looksLikeApiNumber(s: string): boolean {
  return /^\d{2}-?\d{3}-?\d{5}(-?\d{2}){0,2}$/.test(s.trim());
}

/** `42329123450000` → `42-329-12345-00-00`, for messages and display. */
export function formatApiNumber(api14: string): string {
  const s = api14;
  return `${s.slice(0, 2)}-${s.slice(2, 5)}-${s.slice(5, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
}
