import fc from 'fast-check';
import { z } from 'zod';
import { isResourceId, RESOURCE_ID_PATTERN, resourceId } from './resource-id';

describe('resource id rule', () => {
  it('accepts printable ids with inner spaces and any script', () => {
    for (const id of [
      'OP-1',
      'a',
      'Pozo ñandú 1',
      '油井 7',
      'x.y',
      '...',
      '.hidden',
      '\u{1F6E2}',
      'a'.repeat(200),
    ])
      expect(isResourceId(id)).toBe(true);
    expect(isResourceId('\u{1F6E2}'.repeat(200))).toBe(true); // code points, not UTF-16 units
  });

  it('refuses dot-segments, separators, controls, edge whitespace, empty and long ids', () => {
    for (const id of [
      '.',
      '..',
      'a/b',
      'a\\b',
      'a?b',
      'a#b',
      'a\u0000b',
      'a\nb',
      'a\u007fb',
      'a\u0085b',
      'a\u2028b',
      ' a',
      'a ',
      '\ta',
      '',
      'a'.repeat(201),
    ])
      expect(isResourceId(id)).toBe(false);
  });

  it('documents a pattern and maxLength, and says what is expected', () => {
    expect(z.toJSONSchema(resourceId())).toMatchObject({
      type: 'string',
      pattern: RESOURCE_ID_PATTERN.source,
      minLength: 1,
      maxLength: 200,
    });
    expect(resourceId().safeParse('..').error?.issues[0].message).toMatch(/not \. or \.\./);
  });

  it('never accepts an id that a URL path segment would not carry back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 8 }), (id) => {
        if (!isResourceId(id)) return;
        const url = new URL(`http://h/entities/Operator/${encodeURIComponent(id)}`);
        expect(decodeURIComponent(url.pathname.split('/')[3])).toBe(id);
        expect(url.pathname.split('/')).toHaveLength(4);
      }),
    );
  });
});
