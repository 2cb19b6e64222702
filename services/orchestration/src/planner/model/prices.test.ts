import { createPriceBook } from './prices';

describe('createPriceBook', () => {
  it('prices dated and provider-prefixed names as the longest listed name they start with', () => {
    const book = createPriceBook();
    expect(book.priceOf('gpt-4o-mini-2024-07-18')).toEqual(book.priceOf('gpt-4o-mini'));
    expect(book.priceOf('gpt-4o-2024-08-06')).toEqual(book.priceOf('gpt-4o'));
    expect(book.priceOf('openai/gpt-4.1-mini')).toEqual(book.priceOf('gpt-4.1-mini'));
    expect(book.priceOf('gpt-4o-mini')).not.toEqual(book.priceOf('gpt-4o'));
    expect(book.priceOf('gpt-4ox')).toBeUndefined();
  });

  it('computes the cost per 1k tokens, LLM_PRICES overriding and adding models', () => {
    const book = createPriceBook({
      'gpt-4o': { prompt_per_1k: 1, completion_per_1k: 2 },
      'local-llama': { prompt_per_1k: 0.0001, completion_per_1k: 0.0002 },
    });
    expect(book.costOf('gpt-4o', { prompt_tokens: 1500, completion_tokens: 500, total_tokens: 2000 })).toBe(
      2.5,
    );
    expect(
      book.costOf('local-llama', { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 }),
    ).toBe(0.0003);
  });

  it('prices an unknown model at 0 and warns once per model', () => {
    const warnings: unknown[] = [];
    const book = createPriceBook({}, (message, context) => warnings.push([message, context]));
    const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
    expect(book.costOf('mystery', usage)).toBe(0);
    expect(book.costOf('mystery', usage)).toBe(0);
    expect(book.costOf('enigma', usage)).toBe(0);
    expect(warnings).toHaveLength(2);
  });
});
