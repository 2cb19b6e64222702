/** Disposition codes of the production reports (domain.md, Rule 32): 10 = flared, 11 = vented. */
export const DISPOSITIONS = { '10': 'flared', '11': 'vented' } as const;
export type Disposition = keyof typeof DISPOSITIONS;
export const DISPOSITION_CODES = Object.keys(DISPOSITIONS) as [Disposition, ...Disposition[]];
