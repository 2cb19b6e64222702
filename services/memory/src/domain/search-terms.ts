/** The words of a search query: letters and digits of any script, lower-cased, each once, at most
 * `MAX_SEARCH_TERMS` (the rest is ignored). Everything else (quotes, operators, punctuation) is a
 * separator, so no query can reach the full-text syntax of either store. */
export const MAX_SEARCH_TERMS = 32;

export function searchTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, MAX_SEARCH_TERMS);
}

/** SQLite FTS5: any of the words, each a quoted string (so `AND`, `NEAR`, `*` are plain words). */
export function fts5Query(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"`).join(' OR ');
}

/** PostgreSQL `to_tsquery`: any of the words (`|`); the words hold no operator characters. */
export function tsQuery(terms: readonly string[]): string {
  return terms.join(' | ');
}
