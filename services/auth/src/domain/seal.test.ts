import { randomBytes } from 'node:crypto';
import { createSealer } from './seal';

describe('createSealer', () => {
  it('round-trips through AES-GCM and never stores the plain text', () => {
    const sealer = createSealer(randomBytes(32));
    const sealed = sealer.seal('{"d":"secret"}');
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain('secret');
    expect(sealer.open(sealed)).toBe('{"d":"secret"}');
  });

  it('refuses a sealed value under another key or when tampered', () => {
    const sealed = createSealer(randomBytes(32)).seal('x');
    expect(() => createSealer(randomBytes(32)).open(sealed)).toThrow();
    expect(() => createSealer(undefined).open(sealed)).toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
  });

  it('stores as is without a key and still reads unsealed values with one', () => {
    expect(createSealer(undefined).seal('plain')).toBe('plain');
    expect(createSealer(randomBytes(32)).open('plain')).toBe('plain');
  });
});
