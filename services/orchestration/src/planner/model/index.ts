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
