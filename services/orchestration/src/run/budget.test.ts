import { exceededBudget, remainingBudget, utcDay } from './budget';

const budgets = { per_run: { tokens: 150_000, cost_usd: 10 }, per_day: { tokens: 2_000_000, cost_usd: 100 } };

describe('budgets', () => {
  it('leaves the smaller of what the run and the day have left, never below zero', () => {
    expect(
      remainingBudget(budgets, { tokens: 100_000, cost_usd: 1 }, { tokens: 1_990_000, cost_usd: 99.5 }),
    ).toEqual({
      tokens: 10_000,
      cost_usd: 0.5,
    });
    expect(
      remainingBudget(budgets, { tokens: 200_000, cost_usd: 0 }, { tokens: 0, cost_usd: 0 }).tokens,
    ).toBe(0);
  });

  it('names the budget that is spent, the run’s first', () => {
    expect(
      exceededBudget(budgets, { tokens: 149_999, cost_usd: 9.99 }, { tokens: 0, cost_usd: 0 }),
    ).toBeUndefined();
    expect(exceededBudget(budgets, { tokens: 150_000, cost_usd: 0 }, { tokens: 0, cost_usd: 0 })).toMatch(
      /per-run budget of 150000 tokens/,
    );
    expect(exceededBudget(budgets, { tokens: 0, cost_usd: 10 }, { tokens: 0, cost_usd: 0 })).toMatch(
      /per-run budget of \$10/,
    );
    expect(exceededBudget(budgets, { tokens: 0, cost_usd: 0 }, { tokens: 0, cost_usd: 100.5 })).toMatch(
      /per-day budget of \$100 is spent \(\$100\.5000 used today\)/,
    );
  });

  it('counts against the UTC day', () => {
    expect(utcDay(Date.parse('2026-06-01T23:59:59-05:00'))).toBe('2026-06-02');
  });
});
