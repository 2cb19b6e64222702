import { parsedFail, parsedOk, type Parsed } from './parsed';
import { isResourceId } from './resource-id';

/** Railroad Commission of Texas identifiers other than API numbers (domain.md, Identifiers). */

/** The RRC's oil and gas districts. */
export const RRC_DISTRICTS = [
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '6E',
  '07',
  '7B',
  '7C',
  '08',
  '8A',
  '09',
  '10',
] as const;
export type RrcDistrict = (typeof RRC_DISTRICTS)[number];

const LETTERED = new Set(['6E', '7B', '7C', '8A']);

/** A district: 01–10, 6E, 7B, 7C, 8A; `1`, `8a` and `08A` are read as `01`, `8A` and `8A`. */
export function parseDistrict(text: string): Parsed<RrcDistrict> {
  const t = text.toUpperCase().replace(/\s+/g, '');
  const lettered = /^0?(\d[A-Z])$/.exec(t);
  if (lettered && LETTERED.has(lettered[1])) return parsedOk(lettered[1] as RrcDistrict);
  if (/^\d{1,2}$/.test(t)) {
    const n = Number(t);
    if (n >= 1 && n <= 10) return parsedOk(String(n).padStart(2, '0') as RrcDistrict);
  }
  return parsedFail('must be an RRC district (01–10, 6E, 7B, 7C, 8A)');
}

/** An operator number (Form P-5): up to 6 digits, optionally written `P-5 #123`, stored zero-padded
 * to 6. */
export function parseOperatorNumber(text: string): Parsed<string> {
  const t = text.trim().replace(/^P-?5\s*#?\s*/i, '');
  if (!/^\d{1,6}$/.test(t)) return parsedFail('must be an RRC operator (P-5) number of up to 6 digits');
  if (/^0+$/.test(t)) return parsedFail('must not be zero');
  return parsedOk(t.padStart(6, '0'));
}

/**
 * A lease number: the RRC's are numeric (5-digit oil lease numbers, 6-digit gas well ids) and unique
 * only within a district, but operator files also carry their own lease ids, so any identifier is
 * accepted: no spaces, `/`, `?` or `#` (it becomes part of a graph entity id), at most 100
 * characters, upper-cased.
 */
export function parseLeaseNumber(text: string): Parsed<string> {
  return parseIdentifier(text);
}

/** An identifier usable in a graph entity id: the resource id rule (no `/ \ ? #` or control
 * characters, not `.` or `..`) and no whitespace at all; upper-cased. */
export function parseIdentifier(text: string, maxLength = 100): Parsed<string> {
  if (text.length > maxLength) return parsedFail(`must be at most ${maxLength} characters`);
  const value = text.toUpperCase();
  if (/\s/u.test(value) || !isResourceId(value))
    return parsedFail('must not contain spaces, /, \\, ? or #, nor be . or ..');
  return parsedOk(value);
}
