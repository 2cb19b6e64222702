import type { Budget } from '../agents/types';

export interface Spent {
  tokens: number;
  cost_usd: number;
}

/** What is left of the run's and the day's budgets (the smaller of each), never below zero. */
export function remainingBudget(
  budgets: { per_run: Budget; per_day: Budget },
  run: Spent,
  day: Spent,
): { tokens: number; cost_usd: number } {
  return {
    tokens: Math.max(0, Math.min(budgets.per_run.tokens - run.tokens, budgets.per_day.tokens - day.tokens)),
    cost_usd: Math.max(
      0,
      Math.min(budgets.per_run.cost_usd - run.cost_usd, budgets.per_day.cost_usd - day.cost_usd),
    ),
  };
}

/** Which budget is spent (checked before a planner turn and after it), or undefined. */
export function exceededBudget(
  budgets: { per_run: Budget; per_day: Budget },
  run: Spent,
  day: Spent,
): string | undefined {
  if (run.tokens >= budgets.per_run.tokens)
    return `the per-run budget of ${budgets.per_run.tokens} tokens is spent (${run.tokens} used)`;
  if (run.cost_usd >= budgets.per_run.cost_usd)
    return `the per-run budget of $${budgets.per_run.cost_usd} is spent ($${run.cost_usd.toFixed(4)} used)`;
  if (day.tokens >= budgets.per_day.tokens)
    return `the per-day budget of ${budgets.per_day.tokens} tokens is spent (${day.tokens} used today)`;
  if (day.cost_usd >= budgets.per_day.cost_usd)
    return `the per-day budget of $${budgets.per_day.cost_usd} is spent ($${day.cost_usd.toFixed(4)} used today)`;
  return undefined;
}

/** The UTC day a budget counts against (`YYYY-MM-DD`). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
