import fc from 'fast-check';
import { createPasswordHasher, parseHash } from './password';

const hasher = createPasswordHasher({ logN: 10, r: 8, p: 1 });

describe('createPasswordHasher', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', hash)).toBe(true);
    expect(await hasher.verify('correct horsf', hash)).toBe(false);
    expect(await hasher.verify('', hash)).toBe(false);
  });

  it('writes its parameters and a fresh salt into every hash', async () => {
    const a = await hasher.hash('same');
    const b = await hasher.hash('same');
    expect(a).toMatch(/^scrypt\$ln=10,r=8,p=1\$/);
    expect(a).not.toBe(b);
    expect(parseHash(a)?.params).toEqual({ logN: 10, r: 8, p: 1 });
  });

  it('verifies hashes made with other parameters and flags them for re-hashing', async () => {
    const old = await createPasswordHasher({ logN: 11, r: 4, p: 1 }).hash('pw-123456');
    expect(await hasher.verify('pw-123456', old)).toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'))).toBe(false);
  });

  it('refuses malformed hashes without throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$ln=10,r=8,p=1$$',
      'bcrypt$2b$10$abc',
      'scrypt$ln=99,r=8,p=1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==',
    ]) {
      expect(await hasher.verify('x', bad)).toBe(false);
    }
  });

  it('keeps one dummy hash that matches no guessable password', async () => {
    const d = await hasher.dummyHash();
    expect(await hasher.dummyHash()).toBe(d);
    expect(await hasher.verify('', d)).toBe(false);
    expect(parseHash(d)?.params.logN).toBe(10);
  });

  it('round-trips arbitrary unicode passwords', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (pw) => {
        const h = await hasher.hash(pw);
        expect(await hasher.verify(pw, h)).toBe(true);
        expect(await hasher.verify(`${pw}x`, h)).toBe(false);
      }),
      { numRuns: 15 },
    );
  });
});
