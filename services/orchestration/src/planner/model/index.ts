/**
 * The model planner: an OpenAI-compatible chat-completions client behind the `Planner` contract.
 *
 * - Request: `POST {LLM_BASE_URL}/chat/completions` with `LLM_API_KEY` as a bearer token; the model is
 *   `LLM_MODEL` or the agent's `model.primary`; the agent's tools as function tools in `plan`, none in
 *   `synthesize`; `stream: true` with `stream_options.include_usage`; a non-streamed JSON reply is read
 *   too. Content deltas reach `onToken` as they arrive.
 * - Failures: 429, 5xx, network errors and timeouts (`LLM_TIMEOUT_MS` to the headers, then between
 *   chunks) are retried `LLM_MAX_RETRIES` times with exponential backoff from `LLM_RETRY_BASE_MS` plus
 *   jitter, Retry-After honoured up to 30 s (longer: the fallback at once); then the fallback model
 *   (`LLM_FALLBACK_MODEL` or the agent's `model.fallback`) the same way; then `model_unavailable`. A
 *   4xx other than 429 is not retried: `model_refused`. A stream that broke after tokens reached the
 *   user is not retried (the answer would repeat). An aborted signal stops at once: `cancelled`.
 * - Budgets: `max_tokens` is the agent's, within what `remaining` leaves after the prompt (estimated)
 *   in tokens and, for a priced model, in dollars; nothing left → `budget_exceeded`, no call.
 * - Usage from the API, else estimated (characters / 4, `usage_estimated: true`); cost from the price
 *   table of `prices.ts` (an estimate) with `LLM_PRICES` over it; an unknown model costs 0 (one warning).
 * - A malformed tool call (arguments not a JSON object, a tool not offered) gets one repair round
 *   trip telling the model what was wrong; still malformed → a `final` turn with `refusal`
 *   (`model_malformed_tool_call`) explaining it. Both round trips count in the usage.
 */
export {
  createModelPlanner,
  estimateTokens,
  type ModelPlannerOptions,
  type ModelPlannerSettings,
} from './planner';
export { createChatClient, type ChatClient, type ChatClientOptions, type PlannerLogger } from './client';
export {
  BUILT_IN_PRICES,
  PRICE_TABLE_DATE,
  createPriceBook,
  type ModelPrice,
  type PriceBook,
} from './prices';
export { MAX_RETRY_DELAY_MS, retryDelayMs, retryAfterMs } from './retry';
export { createModelMetrics, type ModelMetrics } from './metrics';
export type { AttemptOutcome } from './client';
