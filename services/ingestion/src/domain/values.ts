/**
 * Parsers for the cell values of operator and RRC files. Pure: each takes the trimmed text of one cell
 * and returns the normalised value or the reason it is not acceptable. Identifiers (API, operator and
 * lease numbers, districts) are parsed by the shared module in @aegis/common.
 */
import { parsedFail as fail, parsedOk as ok, type Parsed } from '@aegis/common';

const pad2 = (n: number) => String(n).padStart(2, '0');

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

function dateParts(text: string): [number, number, number] | undefined {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text) ?? /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(text);
  if (m) return [Number(m[3]), Number(m[1]), Number(m[2])]; // US order: month/day/year
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return undefined;
}

/** A calendar date: `YYYY-MM-DD`, `YYYY/MM/DD`, `MM/DD/YYYY` (US order, as RRC exports), `YYYYMMDD`,
 * or an ISO date-time (its date part). Normalised to `YYYY-MM-DD`. */
export function parseDate(text: string): Parsed<string> {
  const iso = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}/.exec(text);
  const parts = dateParts(iso ? iso[1] : text);
  if (!parts) return fail('must be a date (YYYY-MM-DD or MM/DD/YYYY)');
  const [y, mo, d] = parts;
  if (!isRealDate(y, mo, d)) return fail('is not a calendar date');
  if (y < MIN_YEAR || y > MAX_YEAR) return fail(`year must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  return ok(`${y}-${pad2(mo)}-${pad2(d)}`);
}

/**
 * A point in time, normalised to UTC `YYYY-MM-DDTHH:MM:SSZ`. ISO 8601 with `Z` or an offset, or a date
 * and time without a zone (`2024-03-01 06:30`, `03/01/2024 06:30:15`), read as UTC. A bare date is
 * midnight UTC.
 */
export function parseDateTime(text: string): Parsed<string> {
  const m = /^(.+?)[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!m) {
    const date = parseDate(text);
    return date.ok ? ok(`${date.value}T00:00:00Z`) : fail('must be a date-time (ISO 8601) or a date');
  }
  const date = parseDate(m[1]);
  if (!date.ok) return fail(`must be a date-time: date part ${date.reason}`);
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return fail('has an invalid time of day');
  let epoch = Date.UTC(
    Number(date.value.slice(0, 4)),
    Number(date.value.slice(5, 7)) - 1,
    Number(date.value.slice(8, 10)),
    h,
    mi,
    s,
  );
  const zone = m[6];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const minutes = Number(z[2]) * 60 + Number(z[3]);
    if (Number(z[2]) > 14 || Number(z[3]) > 59) return fail('has an invalid UTC offset');
    epoch -= (z[1] === '-' ? -1 : 1) * minutes * 60_000;
  }
  return ok(new Date(epoch).toISOString().replace(/\.\d{3}Z$/, 'Z'));
}

/** A production month: `YYYY-MM`, `YYYYMM`, `MM/YYYY`, `MM-YYYY` or a full date (its month). */
export function parseMonth(text: string): Parsed<string> {
  let y: number | undefined;
  let mo: number | undefined;
  let m = /^(\d{4})-(\d{1,2})$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text);
  if (m) [y, mo] = [Number(m[1]), Number(m[2])];
  m = /^(\d{1,2})[/-](\d{4})$/.exec(text);
  if (m) [y, mo] = [Number(m[2]), Number(m[1])];
  if (y === undefined || mo === undefined) {
    const date = parseDate(text);
    if (!date.ok) return fail('must be a month (YYYY-MM)');
    return ok(date.value.slice(0, 7));
  }
  if (mo < 1 || mo > 12) return fail('has a month outside 1–12');
  if (y < MIN_YEAR || y > MAX_YEAR) return fail(`year must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  return ok(`${y}-${pad2(mo)}`);
}

const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const GROUPED_NUMBER = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** A finite decimal number, optionally with thousands separators (`1,234.5`), within [min, max]. */
export function parseNumber(text: string, min = -Infinity, max = Infinity): Parsed<number> {
  let t = text;
  if (GROUPED_NUMBER.test(t)) t = t.replace(/,/g, '');
  else if (!PLAIN_NUMBER.test(t)) return fail('must be a number');
  const n = Number(t);
  if (!Number.isFinite(n)) return fail('must be a finite number');
  if (n < min) return fail(`must be at least ${min}`);
  if (n > max) return fail(`must be at most ${max}`);
  return ok(n === 0 ? 0 : n);
}

export function parseInteger(text: string, min = -Infinity, max = Infinity): Parsed<number> {
  const n = parseNumber(text, min, max);
  if (!n.ok) return n.reason === 'must be a number' ? fail('must be an integer') : n;
  return Number.isInteger(n.value) ? n : fail('must be an integer');
}

/** Texas, generously bounded (its extreme points are about 25.84–36.50 N and 93.51–106.65 W). */
export const TEXAS_BOUNDS = { minLat: 25.8, maxLat: 36.55, minLon: -106.7, maxLon: -93.5 } as const;

export function parseLatitude(text: string): Parsed<number> {
  const n = parseNumber(text);
  if (!n.ok) return fail('must be a decimal latitude');
  if (n.value < TEXAS_BOUNDS.minLat || n.value > TEXAS_BOUNDS.maxLat)
    return fail(`must be within Texas (${TEXAS_BOUNDS.minLat} to ${TEXAS_BOUNDS.maxLat} N)`);
  return n;
}

export function parseLongitude(text: string): Parsed<number> {
  const n = parseNumber(text);
  if (!n.ok) return fail('must be a decimal longitude');
  if (n.value > 0 && -n.value >= TEXAS_BOUNDS.minLon && -n.value <= TEXAS_BOUNDS.maxLon)
    return fail('must be negative (degrees west) for Texas');
  if (n.value < TEXAS_BOUNDS.minLon || n.value > TEXAS_BOUNDS.maxLon)
    return fail(`must be within Texas (${TEXAS_BOUNDS.minLon} to ${TEXAS_BOUNDS.maxLon})`);
  return n;
}

/** White space other than a single space. */
const NOT_PLAIN_SPACING = /[^\S ]| {2}/;

/** A free-text value: runs of spaces and tabs collapsed, line breaks (inside a quoted CSV field) kept
 * as \n without the spaces around them, at most `maxLength` characters. */
export function parseText(text: string, maxLength = 500): Parsed<string> {
  // Text whose only white space is single spaces is already in that form (most cells).
  const t = !NOT_PLAIN_SPACING.test(text)
    ? text
    : text
        .replace(/\r\n?/g, '\n')
        .replace(/[^\S\n]+/g, ' ')
        .replace(/ ?\n ?/g, '\n');
  if (t.length > maxLength) return fail(`must be at most ${maxLength} characters`);
  return ok(t);
}

/** Lower-case slug of a name, for natural keys of entities named only by text. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}
