import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createSealer, envSealingKey } from './seal';

const VAR = 'SIGNING_KEY_ENCRYPTION_KEY';

describe('createSealer', () => {
  it('round-trips through AES-GCM and never stores the plain text', () => {
    const sealer = createSealer(randomBytes(32), VAR);
    const sealed = sealer.seal('{"d":"secret"}');
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain('secret');
    expect(sealer.open(sealed)).toBe('{"d":"secret"}');
  });

  it('refuses a sealed value under another key or when tampered, naming the missing variable', () => {
    const sealed = createSealer(randomBytes(32), VAR).seal('x');
    expect(() => createSealer(randomBytes(32), VAR).open(sealed)).toThrow();
    expect(() => createSealer(undefined, VAR).open(sealed)).toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
    expect(() => createSealer(undefined, 'AUDIT_KEY_ENCRYPTION_KEY').open(sealed)).toThrow(
      /AUDIT_KEY_ENCRYPTION_KEY/,
    );
  });

  it('stores as is without a key and still reads unsealed values with one', () => {
    expect(createSealer(undefined, VAR).seal('plain')).toBe('plain');
    expect(createSealer(randomBytes(32), VAR).open('plain')).toBe('plain');
  });
});

describe('envSealingKey', () => {
  const schema = z.object({ K: envSealingKey() });
  it('reads 32 base64 bytes, and nothing when unset or empty', () => {
    const key = randomBytes(32);
    expect(schema.parse({ K: key.toString('base64') }).K?.equals(key)).toBe(true);
    expect(schema.parse({}).K).toBeUndefined();
    expect(schema.parse({ K: '' }).K).toBeUndefined();
  });
  it('refuses another length', () => {
    expect(schema.safeParse({ K: 'dG9vLXNob3J0' }).success).toBe(false);
  });
});
