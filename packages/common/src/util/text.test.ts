import fc from 'fast-check';
import {
  decodeUtf8,
  firstInvalidUtf8,
  isWellFormed,
  malformedStringPath,
  undecodableQueryParam,
} from './text';

describe('decodeUtf8', () => {
  it('decodes valid UTF-8 and names the offset of the first invalid byte', () => {
    expect(decodeUtf8(Buffer.from('Pozo ñandú 油井 \u{1F6E2}'))).toEqual({
      ok: true,
      text: 'Pozo ñandú 油井 \u{1F6E2}',
    });
    expect(decodeUtf8(Buffer.from([0x61, 0xff, 0xfe]))).toEqual({ ok: false, offset: 1 });
    expect(decodeUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toEqual({ ok: false, offset: 1 }); // a surrogate
    expect(decodeUtf8(Buffer.from([0xc0, 0xaf]))).toEqual({ ok: false, offset: 0 }); // overlong '/'
    expect(decodeUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toEqual({ ok: false, offset: 1 }); // truncated
    expect(decodeUtf8(Buffer.from([0x80]))).toEqual({ ok: false, offset: 0 }); // stray continuation
  });

  it('agrees with the fatal TextDecoder on any bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        let valid = true;
        try {
          fatal.decode(bytes);
        } catch {
          valid = false;
        }
        const offset = firstInvalidUtf8(bytes);
        expect(offset === -1).toBe(valid);
        if (!valid) expect(() => fatal.decode(bytes.subarray(0, offset))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('malformedStringPath', () => {
  it('finds a lone surrogate in a value or a key, at any depth', () => {
    expect(malformedStringPath({ a: [1, 'ok', { b: 'x\ud800' }] })).toEqual(['a', 2, 'b']);
    expect(malformedStringPath({ a: { ['k\udc00']: 1 } })).toEqual(['a', 'k\udc00']);
    expect(malformedStringPath('\udfff')).toEqual([]);
    expect(malformedStringPath({ a: '\u{1F6E2}', b: [null, true, 1.5] })).toBeUndefined();
  });

  it('agrees with isWellFormed on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (any, text) => {
        expect(isWellFormed(text)).toBe(true);
        expect(malformedStringPath({ v: any }) === undefined).toBe(isWellFormed(any));
      }),
    );
  });
});

describe('undecodableQueryParam', () => {
  it('names the parameter whose value or name is not percent-encoded UTF-8', () => {
    expect(undecodableQueryParam('a=1&from=%FF')).toBe('from');
    expect(undecodableQueryParam('name=%ED%A0%80')).toBe('name');
    expect(undecodableQueryParam('x%E2%82=1')).toBe('x%E2%82');
    expect(undecodableQueryParam('q=caf%C3%A9&p=100%&r=%zz+1')).toBeUndefined();
    expect(undecodableQueryParam('')).toBeUndefined();
  });
});
