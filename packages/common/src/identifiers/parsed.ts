/** The outcome of parsing one value: the normalised value, or the reason it is not acceptable (a
 * phrase that reads after the field name: "api_number must be ..."). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const parsedOk = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const parsedFail = (reason: string): Parsed<never> => ({ ok: false, reason });
