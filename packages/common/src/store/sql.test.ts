import fc from 'fast-check';
import { assertIdentifier, isIdentifier, quoteIdentifier, toPostgresPlaceholders } from './sql';

describe('toPostgresPlaceholders', () => {
  it('numbers unquoted placeholders from left to right', () => {
    expect(toPostgresPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
    );
  });

  it('leaves ? inside string literals, quoted identifiers and comments untouched', () => {
    const sql = `SELECT '?', 'it''s ?', "we?ird" FROM t -- why?\nWHERE a = ? /* ? */ AND b = ?`;
    expect(toPostgresPlaceholders(sql)).toBe(
      `SELECT '?', 'it''s ?', "we?ird" FROM t -- why?\nWHERE a = $1 /* ? */ AND b = $2`,
    );
  });

  it('keeps an unterminated literal as it is', () => {
    expect(toPostgresPlaceholders("SELECT ? , 'abc?")).toBe("SELECT $1 , 'abc?");
  });

  // A token generator that knows, for each token, whether its `?` are placeholders.
  const plain = fc.stringMatching(/^[a-zA-Z0-9 ,=()*<>.\n]{0,12}$/).map((s) => ({ sql: s, marks: 0 }));
  const placeholder = fc.constant({ sql: '?', marks: 1 });
  const literalBody = fc.stringMatching(/^[a-z ?"$\-/*]{0,10}$/);
  const stringLiteral = literalBody.map((s) => ({ sql: `'${s.replace(/'/g, "''")}'`, marks: 0 }));
  const escapedQuote = literalBody.map((s) => ({ sql: `'${s}''${s}'`, marks: 0 }));
  const identifier = fc.stringMatching(/^[a-z ?'$]{1,8}$/).map((s) => ({ sql: `"${s}"`, marks: 0 }));
  const lineComment = fc.stringMatching(/^[a-z ?'"]{0,8}$/).map((s) => ({ sql: `--${s}\n`, marks: 0 }));
  const blockComment = fc.stringMatching(/^[a-z ?'"\n]{0,8}$/).map((s) => ({ sql: `/*${s}*/`, marks: 0 }));
  const tokens = fc.array(
    fc.oneof(plain, placeholder, stringLiteral, escapedQuote, identifier, lineComment, blockComment),
    {
      maxLength: 25,
    },
  );

  it('turns exactly the unquoted ? into $1..$n in order (property)', () => {
    fc.assert(
      fc.property(tokens, (list) => {
        const sql = list.map((t) => t.sql).join('');
        const expectedCount = list.reduce((n, t) => n + t.marks, 0);
        let k = 0;
        const expected = list.map((t) => (t.marks ? `$${(k += 1)}` : t.sql)).join('');
        const out = toPostgresPlaceholders(sql);
        expect(out).toBe(expected);
        const numbers = [...out.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
        const fromLiterals = [...sql.matchAll(/\$(\d+)/g)].length;
        expect(numbers.length - fromLiterals).toBe(expectedCount);
      }),
    );
  });

  it('changes nothing inside quoted literals (property)', () => {
    fc.assert(
      fc.property(fc.array(stringLiteral, { maxLength: 10 }), (literals) => {
        const sql = literals.map((t) => t.sql).join(' ');
        expect(toPostgresPlaceholders(sql)).toBe(sql);
      }),
    );
  });
});

describe('identifiers', () => {
  it('accepts lower-case snake_case names', () => {
    for (const name of ['users', 'tenant_id', '_private', 'a1_b2']) expect(isIdentifier(name)).toBe(true);
    expect(quoteIdentifier('order')).toBe('"order"');
  });

  it('rejects anything that could change the SQL', () => {
    for (const name of [
      '',
      'Users',
      '1abc',
      'a-b',
      'a b',
      'a"b',
      'a;drop table users',
      'x--',
      'é',
      'a.b',
      'x'.repeat(64),
    ]) {
      expect(isIdentifier(name)).toBe(false);
      expect(() => assertIdentifier(name)).toThrow(TypeError);
    }
    expect(() => quoteIdentifier(undefined)).toThrow(TypeError);
  });

  it('never quotes a name containing a quote, space, semicolon or dash (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('"', ' ', ';', '-', "'", '(', 'A'),
        fc.string(),
        (a, bad, b) => {
          expect(() => quoteIdentifier(`${a}${bad}${b}`)).toThrow(TypeError);
        },
      ),
    );
  });
});
