/**
 * API well numbers (domain.md "Identifiers"): stored as 14 digits — state (2), county (3), unique well
 * number (5), sidetrack (2) and event sequence (2), the API-14 form. Texas is state 42. Accepted with or
 * without dashes or spaces; shorter forms are padded with zeros to 14 digits, as in the ingestion
 * contract (`42-301-12345-00` → `42301123450000`): 10 digits get `0000`, 12 digits get `00`.
 */
export const TEXAS_STATE_CODE = '42';

export type ApiNumberResult = { ok: true; value: string } | { ok: false; reason: string };

export function normaliseApiNumber(input: string): ApiNumberResult {
  const trimmed = input.trim();
  if (!/^[0-9][0-9 -]*$/.test(trimmed)) return { ok: false, reason: 'must contain only digits and dashes' };
  const digits = trimmed.replace(/[ -]/g, '');
  let value: string;
  if (digits.length === 14) value = digits;
  else if (digits.length === 10 || digits.length === 12) value = digits.padEnd(14, '0');
  else return { ok: false, reason: 'must have 10, 12 or 14 digits (SS-CCC-NNNNN[-XX[-XX]])' };
  if (!value.startsWith(TEXAS_STATE_CODE))
    return { ok: false, reason: 'must be a Texas API number (state code 42)' };
  return { ok: true, value };
}

/** True when `s` looks like an API number someone typed (so a Well id in a path is normalised). */
export function looksLikeApiNumber(s: string): boolean {
  return /^\d{2}-?\d{3}-?\d{5}(-?\d{2}){0,2}$/.test(s.trim());
}

/** `42301123450000` → `42-301-12345-00-00` for display. */
export function formatApiNumber(normalised: string): string {
  const s = normalised;
  return `${s.slice(0, 2)}-${s.slice(2, 5)}-${s.slice(5, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
}
