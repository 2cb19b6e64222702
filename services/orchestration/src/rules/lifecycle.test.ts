import { REQUESTABLE_STATUSES, transitionRefusal, VERSION_STATUSES } from './lifecycle';

describe('transitionRefusal', () => {
  // Every (from, to) pair a client can ask for: only draft → active and active → retired are allowed.
  const legal = new Set(['draft→active', 'active→retired']);
  const pairs = VERSION_STATUSES.flatMap((from) => REQUESTABLE_STATUSES.map((to) => [from, to] as const));

  it('covers every pair of a status and a requested status', () => {
    expect(pairs).toHaveLength(VERSION_STATUSES.length * REQUESTABLE_STATUSES.length);
  });

  it.each(pairs)('%s → %s is allowed exactly when the lifecycle has that edge', (from, to) => {
    const refusal = transitionRefusal(from, to);
    if (legal.has(`${from}→${to}`)) expect(refusal).toBeUndefined();
    else expect(refusal).toEqual(expect.any(String));
  });

  it('says superseding happens through activating a newer version', () => {
    expect(transitionRefusal('active', 'superseded')).toMatch(/only by activating a newer version/);
  });

  it('calls superseded and retired versions final', () => {
    expect(transitionRefusal('superseded', 'active')).toMatch(/none, it is final/);
    expect(transitionRefusal('retired', 'active')).toMatch(/none, it is final/);
  });

  it('names a no-op transition', () => {
    expect(transitionRefusal('active', 'active')).toBe('The version is already active');
    expect(transitionRefusal('retired', 'retired')).toBe('The version is already retired');
  });
});
