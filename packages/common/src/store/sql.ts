/** Pure SQL text helpers shared by both dialects: placeholder rewriting and identifier quoting. */

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL truncates identifiers longer than 63 bytes; refuse them instead. */
const MAX_IDENTIFIER_LENGTH = 63;

/** True for a lower-case snake_case identifier the builder accepts as a table or column name. */
export function isIdentifier(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER.test(name);
}

/** Throws unless `name` is a safe identifier; never reaches SQL otherwise. */
export function assertIdentifier(name: unknown, what = 'identifier'): string {
  if (!isIdentifier(name)) {
    throw new TypeError(
      `Invalid SQL ${what} ${JSON.stringify(String(name)).slice(0, 80)}: must match /^[a-z_][a-z0-9_]*$/`,
    );
  }
  return name;
}

/** Validates and double-quotes an identifier (quoting also protects reserved words such as `order`). */
export function quoteIdentifier(name: unknown, what = 'identifier'): string {
  return `"${assertIdentifier(name, what)}"`;
}

/**
 * Rewrites `?` placeholders to PostgreSQL's `$1..$n`, left to right. A `?` inside a single-quoted
 * string literal ('it''s?'), a double-quoted identifier, a `-- line comment` or a `/* block comment *\/`
 * is left untouched. Not handled (not used by AEGIS SQL): dollar-quoted strings, E'' strings with
 * backslash escapes, and PostgreSQL's `?`-operators on jsonb.
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      // A doubled quote ('' or "") inside a literal simply closes and reopens it: same result.
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      n += 1;
      out += `$${n}`;
      i += 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
