/** Calendar arithmetic on UTC dates `YYYY-MM-DD` (the knowledge graph's authorisation dates). */
const DAY_MS = 86_400_000;

export const dateOf = (isoOrDate: string): string => isoOrDate.slice(0, 10);
export const dayMs = (date: string): number => Date.parse(`${dateOf(date)}T00:00:00Z`);
/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((dayMs(to) - dayMs(from)) / DAY_MS);
export const addDays = (date: string, days: number): string =>
  new Date(dayMs(date) + days * DAY_MS).toISOString().slice(0, 10);
export const todayOf = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 10);
export { DAY_MS };
