/** Identifier rules: every table, column and alias name that reaches SQL is checked against them. */

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL truncates identifiers longer than 63 bytes; refuse them instead. */
const MAX_IDENTIFIER_LENGTH = 63;

/** True for a lower-case snake_case identifier accepted as a table, column or alias name. */
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
