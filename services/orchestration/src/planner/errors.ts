import { AppError, UpstreamError } from '@aegis/common';
import type { TokenUsage } from './types';

/** What a planner had already spent when it failed (a repair round trip, a first call that
 * succeeded): the engine adds it to the run's usage so nothing spent goes unrecorded. */
export interface PlannerSpend {
  usage: TokenUsage;
  cost_usd: number;
  /** The model that was charged, when one was. */
  model?: string;
}

/** The stable codes of planner errors; the engine maps them to a run status and an `error` event. */
export const PLANNER_ERROR_CODES = {
  budgetExceeded: 'budget_exceeded',
  modelUnavailable: 'model_unavailable',
  modelRefused: 'model_refused',
  modelMalformedToolCall: 'model_malformed_tool_call',
  cancelled: 'cancelled',
} as const;

/**
 * The run's or the day's budget leaves nothing for another model call: the planner did not call the
 * model at all. The engine ends the run `budget_exceeded` with nothing half-done; the request answers
 * 429 `budget_exceeded` (the status the orchestration's API documents for a spent budget). The
 * constructor takes the detail first, so the engine's own budget checks can throw this class too.
 */
export class BudgetExceededError extends AppError {
  spent?: PlannerSpend;
  constructor(
    detail = 'The token or cost budget of this run is exhausted',
    readonly remaining?: { tokens: number; cost_usd: number },
  ) {
    super(429, PLANNER_ERROR_CODES.budgetExceeded, detail);
  }
}

/** Every attempt at the model and at its fallback failed (429, 5xx, network, timeout). The detail
 * carries no upstream address, body or stack. */
export class ModelUnavailableError extends UpstreamError {
  spent?: PlannerSpend;
  constructor(detail = 'The language model is unavailable; try again later') {
    super(detail, PLANNER_ERROR_CODES.modelUnavailable);
  }
}

/** The model API refused the request with a 4xx other than 429 (a bad key, an unknown model, a
 * request it does not accept): retrying the same request cannot help. */
export class ModelRefusedError extends UpstreamError {
  spent?: PlannerSpend;
  constructor(readonly upstreamStatus: number) {
    super(
      `The language model refused the request (HTTP ${upstreamStatus})`,
      PLANNER_ERROR_CODES.modelRefused,
    );
  }
}

/** The run's signal was aborted (cancel, client disconnect): the planner stopped at once. 409 (the run's
 * state, cancelled, ends it), never a non-standard status should it reach a response. */
export class PlannerAbortedError extends AppError {
  spent?: PlannerSpend;
  constructor() {
    super(409, PLANNER_ERROR_CODES.cancelled, 'The run was cancelled');
    this.name = 'AbortError';
  }
}

export type PlannerError =
  BudgetExceededError | ModelUnavailableError | ModelRefusedError | PlannerAbortedError;

/** Attaches what was already spent to an error a planner turn throws (any AppError; others pass). */
export function withSpend(err: unknown, spent: PlannerSpend | undefined): unknown {
  if (spent && err instanceof AppError) (err as { spent?: PlannerSpend }).spent = spent;
  return err;
}

/** What a failed planner turn had spent, if anything. */
export function plannerSpendOf(err: unknown): PlannerSpend | undefined {
  return err instanceof AppError && 'spent' in err ? (err as { spent?: PlannerSpend }).spent : undefined;
}
