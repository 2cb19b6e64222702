import fc from 'fast-check';
import { isPublished, planRotation, publishedKeys, signingKey, type KeyTimes } from './keys';

const policy = { tokenTtlSec: 3600, toleranceSec: 5, activationDelaySec: 0 };

function rotate(keys: KeyTimes[], now: number, kid: string, p = policy): KeyTimes[] {
  const plan = planRotation(keys, now, p);
  const next = keys
    .filter((k) => !plan.purge.includes(k.kid))
    .map((k) => ({ ...k, retiresAt: plan.retire.find((r) => r.kid === k.kid)?.retiresAt ?? k.retiresAt }));
  return [...next, { kid, createdAt: now, activatesAt: plan.activatesAt, retiresAt: null }];
}

describe('key rotation', () => {
  const k1: KeyTimes = { kid: 'k1', createdAt: 0, activatesAt: 0, retiresAt: null };

  it('signs with the new key at once and keeps the old one published until its tokens expired', () => {
    const keys = rotate([k1], 10_000, 'k2');
    expect(signingKey(keys, 10_000)?.kid).toBe('k2');
    expect(publishedKeys(keys, 10_000).map((k) => k.kid)).toEqual(['k2', 'k1']);
    // A token signed by k1 just before the rotation expires at 10_000 + TTL.
    expect(publishedKeys(keys, 10_000 + 3600_000 + 4_999).map((k) => k.kid)).toContain('k1');
    expect(publishedKeys(keys, 10_000 + 3605_000).map((k) => k.kid)).toEqual(['k2']);
  });

  it('with an activation delay, publishes the new key first and keeps signing with the old one', () => {
    const keys = rotate([k1], 10_000, 'k2', { ...policy, activationDelaySec: 60 });
    expect(signingKey(keys, 10_000)?.kid).toBe('k1');
    expect(publishedKeys(keys, 10_000).map((k) => k.kid)).toContain('k2');
    expect(signingKey(keys, 70_000)?.kid).toBe('k2');
    expect(isPublished(keys[0], 70_000 + 3600_000)).toBe(true);
  });

  it('purges keys retired before the rotation', () => {
    let keys = rotate([k1], 10_000, 'k2');
    keys = rotate(keys, 10_000 + 4000_000, 'k3');
    expect(keys.map((k) => k.kid)).toEqual(['k2', 'k3']);
  });

  it('every token signed at any time stays verifiable until it expires (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2 * 3600_000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 120 }),
        (gaps, delay) => {
          const p = { ...policy, activationDelaySec: delay };
          let keys: KeyTimes[] = [k1];
          let now = 0;
          const signed: { kid: string; exp: number }[] = [];
          gaps.forEach((gap, i) => {
            // Sign a token just before rotating, then rotate.
            now += gap;
            const signer = signingKey(keys, now);
            expect(signer).toBeDefined();
            signed.push({ kid: signer!.kid, exp: now + p.tokenTtlSec * 1000 });
            keys = rotate(keys, now, `k${i + 2}`, p);
            // Right after rotating, a token from just before is still verifiable.
            for (const t of signed) {
              if (t.exp > now) expect(publishedKeys(keys, now).some((k) => k.kid === t.kid)).toBe(true);
            }
          });
          for (const t of signed) {
            const atExpiry = t.exp - 1;
            if (atExpiry >= now)
              expect(publishedKeys(keys, atExpiry).some((k) => k.kid === t.kid)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('signingKey after a rotation in the same millisecond', () => {
  it('signs with the successor, not the superseded key, whatever their kids', () => {
    for (const [oldKid, newKid] of [
      ['a', 'z'],
      ['z', 'a'],
    ]) {
      const old = { kid: oldKid, createdAt: 1000, activatesAt: 1000, retiresAt: 5000 };
      const successor = { kid: newKid, createdAt: 1000, activatesAt: 1000, retiresAt: null };
      expect(signingKey([old, successor], 1000)?.kid).toBe(newKid);
      expect(signingKey([successor, old], 1000)?.kid).toBe(newKid);
    }
  });

  it('keeps signing with the superseded key while the successor is pending', () => {
    const old = { kid: 'old', createdAt: 0, activatesAt: 0, retiresAt: 9000 };
    const pending = { kid: 'new', createdAt: 1000, activatesAt: 2000, retiresAt: null };
    expect(signingKey([old, pending], 1500)?.kid).toBe('old');
    expect(signingKey([old, pending], 2000)?.kid).toBe('new');
  });
});
