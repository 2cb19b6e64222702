import fc from 'fast-check';
import { afterFailure, afterSuccess, isLocked, UNLOCKED, type LockoutState } from './lockout';

const policy = { maxFailures: 5, lockMs: 15 * 60_000 };

describe('lockout', () => {
  it('locks after the fifth consecutive failure, for the lock period', () => {
    let s: LockoutState = UNLOCKED;
    for (let i = 0; i < 4; i += 1) {
      s = afterFailure(s, 1000 + i, policy);
      expect(isLocked(s, 1000 + i)).toBe(false);
    }
    s = afterFailure(s, 2000, policy);
    expect(isLocked(s, 2000)).toBe(true);
    expect(isLocked(s, 2000 + policy.lockMs - 1)).toBe(true);
    expect(isLocked(s, 2000 + policy.lockMs)).toBe(false);
  });

  it('neither counts nor extends during a lock', () => {
    const locked = { failedLogins: 0, lockedUntil: 10_000 };
    expect(afterFailure(locked, 5000, policy)).toBe(locked);
  });

  it('starts a fresh count once a lock has run out', () => {
    const s = afterFailure({ failedLogins: 0, lockedUntil: 10_000 }, 10_001, policy);
    expect(s).toEqual({ failedLogins: 1, lockedUntil: null });
  });

  it('resets on success', () => {
    expect(afterSuccess()).toEqual({ failedLogins: 0, lockedUntil: null });
  });

  it('never locks before maxFailures consecutive failures (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (max, outcomes) => {
          const p = { maxFailures: max, lockMs: 1_000_000 };
          let s: LockoutState = UNLOCKED;
          let streak = 0;
          let t = 0;
          for (const ok of outcomes) {
            t += 1;
            if (isLocked(s, t)) continue;
            if (ok) {
              s = afterSuccess();
              streak = 0;
            } else {
              s = afterFailure(s, t, p);
              streak += 1;
            }
            expect(isLocked(s, t)).toBe(streak >= max);
            if (isLocked(s, t)) streak = 0;
          }
        },
      ),
    );
  });
});
