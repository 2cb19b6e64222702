import type { TokenUsage } from '../types';

/** USD per 1,000 tokens, prompt and completion. */
export interface ModelPrice {
  prompt_per_1k: number;
  completion_per_1k: number;
}

/** The date the built-in table was taken from the vendors' public list prices. */
export const PRICE_TABLE_DATE = '2025-06-01';

/**
 * Built-in list prices (USD per 1k tokens, the vendors' published per-1M prices / 1000) as of
 * {@link PRICE_TABLE_DATE}. The cost a run records is an ESTIMATE from this table: discounts, cached
 * prompt tokens and later price changes are not reflected. `LLM_PRICES` overrides or adds entries.
 * A dated model name (`gpt-4o-2024-08-06`) or a provider-prefixed one (`openai/gpt-4o`) takes the
 * price of the longest listed name it starts with.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { prompt_per_1k: 0.0025, completion_per_1k: 0.01 },
  'gpt-4o-mini': { prompt_per_1k: 0.00015, completion_per_1k: 0.0006 },
  'gpt-4.1': { prompt_per_1k: 0.002, completion_per_1k: 0.008 },
  'gpt-4.1-mini': { prompt_per_1k: 0.0004, completion_per_1k: 0.0016 },
  'gpt-4.1-nano': { prompt_per_1k: 0.0001, completion_per_1k: 0.0004 },
  'gpt-4-turbo': { prompt_per_1k: 0.01, completion_per_1k: 0.03 },
  'gpt-4': { prompt_per_1k: 0.03, completion_per_1k: 0.06 },
  'gpt-3.5-turbo': { prompt_per_1k: 0.0005, completion_per_1k: 0.0015 },
  o1: { prompt_per_1k: 0.015, completion_per_1k: 0.06 },
  o3: { prompt_per_1k: 0.002, completion_per_1k: 0.008 },
  'o3-mini': { prompt_per_1k: 0.0011, completion_per_1k: 0.0044 },
  'o4-mini': { prompt_per_1k: 0.0011, completion_per_1k: 0.0044 },
  'claude-3-5-sonnet': { prompt_per_1k: 0.003, completion_per_1k: 0.015 },
  'claude-3-5-haiku': { prompt_per_1k: 0.0008, completion_per_1k: 0.004 },
  'claude-3-7-sonnet': { prompt_per_1k: 0.003, completion_per_1k: 0.015 },
  'claude-sonnet-4': { prompt_per_1k: 0.003, completion_per_1k: 0.015 },
  'claude-opus-4': { prompt_per_1k: 0.015, completion_per_1k: 0.075 },
  'gemini-2.0-flash': { prompt_per_1k: 0.0001, completion_per_1k: 0.0004 },
  'gemini-2.5-flash': { prompt_per_1k: 0.0003, completion_per_1k: 0.0025 },
  'gemini-2.5-pro': { prompt_per_1k: 0.00125, completion_per_1k: 0.01 },
  'mistral-large': { prompt_per_1k: 0.002, completion_per_1k: 0.006 },
  'mistral-small': { prompt_per_1k: 0.0001, completion_per_1k: 0.0003 },
};

/** Prices of the models a planner may call: the built-in table with `LLM_PRICES` merged over it. */
export interface PriceBook {
  /** The price of a model, or undefined when neither table knows it. */
  priceOf(model: string): ModelPrice | undefined;
  /** The estimated cost of a call in USD; 0 (and one logged warning per model) for an unknown model. */
  costOf(model: string, usage: TokenUsage): number;
}

export function createPriceBook(
  overrides: Readonly<Record<string, ModelPrice>> = {},
  warn: (message: string, context: Record<string, unknown>) => void = () => {},
): PriceBook {
  const table: Record<string, ModelPrice> = { ...BUILT_IN_PRICES, ...overrides };
  // Longest name first, so `gpt-4o-mini-2024-07-18` is priced as gpt-4o-mini, not gpt-4o.
  const names = Object.keys(table).sort((a, b) => b.length - a.length);
  const warned = new Set<string>();
  const priceOf = (model: string): ModelPrice | undefined => {
    if (table[model]) return table[model];
    const bare = model.slice(model.lastIndexOf('/') + 1);
    if (table[bare]) return table[bare];
    const name = names.find((n) => bare.startsWith(`${n}-`) || model.startsWith(`${n}-`));
    return name ? table[name] : undefined;
  };
  return {
    priceOf,
    costOf(model, usage) {
      const price = priceOf(model);
      if (!price) {
        if (!warned.has(model)) {
          warned.add(model);
          warn('Priced an unknown model at 0; set LLM_PRICES to record its cost', { model });
        }
        return 0;
      }
      return roundUsd(
        (usage.prompt_tokens * price.prompt_per_1k + usage.completion_tokens * price.completion_per_1k) /
          1000,
      );
    },
  };
}

/** Costs are kept to a millionth of a dollar (the table's precision) so sums do not drift. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6;
