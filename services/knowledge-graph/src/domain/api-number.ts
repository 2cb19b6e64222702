/**
 * API well numbers: the one rule shared with ingestion lives in @aegis/common (identifiers). The
 * knowledge graph's names for it are kept here for its callers.
 */
import { type Parsed, parseApiNumber } from '@aegis/common';

export { formatApiNumber, looksLikeApiNumber, TEXAS_STATE_CODE } from '@aegis/common';

export type ApiNumberResult = Parsed<string>;

/** Normalises an API number to its 14 digits, or says why it is not a Texas API number. */
export const normaliseApiNumber = (input: string): ApiNumberResult => parseApiNumber(input);
