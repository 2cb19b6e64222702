import { parseApiNumber } from '@aegis/common';

/** An API number as people write it: 42, county, well, up to two two-digit groups, any dashes/spaces. */
const CANDIDATE = /(?<![0-9])42[ -]?[0-9]{3}[ -]?[0-9]{5}(?:[ -]?[0-9]{2}){0,2}(?![0-9])/g;

/** The Texas API numbers (API-14) a text names, in order, without repeats. */
export function wellApisIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const parsed = parseApiNumber(m[0]);
    if (parsed.ok && !found.includes(parsed.value)) found.push(parsed.value);
  }
  return found;
}
