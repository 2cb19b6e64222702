import type { Config } from '../../config';
import { BudgetExceededError, withSpend, type PlannerSpend } from '../errors';
import type { Planner, PlannerTurn, PlannerTurnInput, TokenUsage } from '../types';
import { createChatClient, type ModelCompletion, type PlannerLogger } from './client';
import type { ModelMetrics } from './metrics';
import { createPriceBook, roundUsd, type PriceBook } from './prices';
import { checkToolCalls, repairMessages, type CheckedCall } from './tool-calls';
import { toWireMessages, toWireTools, type ChatRequest, type WireMessage } from './wire';

export type ModelPlannerSettings = NonNullable<Config['llm']>;

export interface ModelPlannerOptions {
  fetch?: typeof fetch;
  /** The wait between retries (tests pass one that returns at once). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  logger?: PlannerLogger;
  /** The model metrics on the service's registry (`createModelMetrics(registry)`). */
  metrics?: ModelMetrics;
}

/** Tokens of a text when the API reports none: about four characters a token. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * The planner that asks an OpenAI-compatible chat-completions API: the agent's tools offered as
 * function tools in `plan` (none in `synthesize`), the answer streamed through `onToken`, retries and
 * the fallback model in the client, `max_tokens` kept within what the run's and the day's budgets
 * have left, usage and cost of every round trip (a repair included) in the turn it returns.
 */
export function createModelPlanner(
  settings: ModelPlannerSettings,
  options: ModelPlannerOptions = {},
): Planner {
  const { metrics } = options;
  const client = createChatClient({
    ...settings,
    ...options,
    onAttempt: metrics && ((attempt) => metrics.attempt(attempt)),
  });
  const prices = createPriceBook(settings.prices, (message, context) =>
    options.logger?.warn(context, message),
  );

  return {
    kind: 'model',
    async turn(input) {
      const primary = settings.model ?? input.agent.model.primary;
      const fallback = settings.fallbackModel ?? input.agent.model.fallback;
      const models = fallback && fallback !== primary ? [primary, fallback] : [primary];
      const tools = toWireTools(input.phase === 'plan' ? input.tools : []);
      const spend = new Spend(prices, metrics);
      const ask = async (messages: WireMessage[]) => {
        const prompt = estimateTokens(JSON.stringify(messages) + JSON.stringify(tools));
        const allowance = (model: string) => completionAllowance(input, spend, prompt, prices, model);
        try {
          if (allowance(models[0]) < 1)
            throw new BudgetExceededError(undefined, {
              tokens: input.remaining.tokens - spend.usage.total_tokens,
              cost_usd: roundUsd(input.remaining.cost_usd - spend.cost),
            });
          const completion = await client.complete(
            models,
            (model): ChatRequest => ({
              model,
              messages,
              ...(tools.length ? { tools } : {}),
              stream: true,
              stream_options: { include_usage: true },
              temperature: input.agent.model.temperature,
              max_tokens: Math.max(1, allowance(model)),
            }),
            { signal: input.signal, onToken: input.onToken },
          );
          return spend.add(completion, prompt);
        } catch (err) {
          throw withSpend(err, spend.snapshot());
        }
      };

      const conversation = toWireMessages(input.messages);
      const first = await ask(conversation);
      const answer = decide(first, input, spend);
      if (answer.kind !== 'repair') return answer.turn;

      // One repair round trip: the model sees what was wrong with its calls and may correct them.
      const second = await ask([...conversation, ...repairMessages(first.content, answer.checked)]);
      const repaired = decide(second, input, spend);
      if (repaired.kind !== 'repair') return repaired.turn;
      const problem = repaired.checked.find((c) => c.error)?.error ?? answer.problem;
      options.logger?.warn({ model: second.model, problem }, 'Model kept asking for a malformed tool call');
      return {
        kind: 'final',
        content:
          'I could not complete this request: the language model asked twice for a tool call that is not ' +
          `valid (${problem}). Please rephrase the request or try again.`,
        ...spend.turnFields(),
        refusal: { code: 'model_malformed_tool_call', message: problem },
      };
    },
  };
}

type Decision =
  { kind: 'answer'; turn: PlannerTurn } | { kind: 'repair'; checked: CheckedCall[]; problem: string };

/** A completion's turn: a final answer, usable tool calls, or calls that need a repair round trip. */
function decide(completion: ModelCompletion, input: PlannerTurnInput, spend: Spend): Decision {
  const { content, toolCalls } = completion;
  // In synthesis the answer is the text; calls the model adds beside it are ignored.
  if (!toolCalls.length || (input.phase === 'synthesize' && content.trim()))
    return { kind: 'answer', turn: { kind: 'final', content, ...spend.turnFields() } };
  const checked = checkToolCalls(
    toolCalls,
    input.phase === 'plan' ? input.tools : [],
    completion.finishReason === 'length',
  );
  const problem = checked.find((c) => c.error)?.error;
  if (problem) return { kind: 'repair', checked, problem };
  return {
    kind: 'answer',
    turn: {
      kind: 'tool_calls',
      calls: checked.map((c) => c.call!),
      ...(content ? { content } : {}),
      ...spend.turnFields(),
    },
  };
}

/**
 * The most completion tokens this call may ask for: the agent's `max_tokens`, within the tokens the
 * budgets have left after the prompt (estimated) and, when the model's price is known, within the
 * dollars they have left. Below 1: the model is not called (budget exceeded).
 */
function completionAllowance(
  input: PlannerTurnInput,
  spend: Spend,
  promptTokens: number,
  prices: PriceBook,
  model: string,
): number {
  const tokensLeft = input.remaining.tokens - spend.usage.total_tokens - promptTokens;
  const dollarsLeft = input.remaining.cost_usd - spend.cost;
  if (dollarsLeft <= 0) return 0;
  const price = prices.priceOf(model);
  const byCost =
    price && price.completion_per_1k > 0
      ? ((dollarsLeft - (promptTokens * price.prompt_per_1k) / 1000) * 1000) / price.completion_per_1k
      : Infinity;
  return Math.floor(Math.min(input.agent.model.max_tokens, tokensLeft, byCost));
}

/** Usage and cost of the round trips of one turn. */
class Spend {
  usage: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  cost = 0;
  estimated = false;
  model?: string;

  constructor(
    private readonly prices: PriceBook,
    private readonly metrics?: ModelMetrics,
  ) {}

  /** Counts a round trip; the API's usage, else an estimate (prompt estimated before the call). */
  add(completion: ModelCompletion, prompt: number): ModelCompletion {
    let usage = completion.usage;
    if (!usage) {
      this.estimated = true;
      const written = estimateTokens(
        completion.content + completion.toolCalls.map((c) => c.name + c.arguments).join(''),
      );
      usage = { prompt_tokens: prompt, completion_tokens: written, total_tokens: prompt + written };
    }
    this.usage = {
      prompt_tokens: this.usage.prompt_tokens + usage.prompt_tokens,
      completion_tokens: this.usage.completion_tokens + usage.completion_tokens,
      total_tokens: this.usage.total_tokens + usage.total_tokens,
    };
    const cost = this.prices.costOf(completion.model, usage);
    this.metrics?.usage(completion.model, usage, cost);
    this.cost = roundUsd(this.cost + cost);
    this.model = completion.model;
    return completion;
  }

  turnFields() {
    return {
      usage: this.usage,
      cost_usd: this.cost,
      model: this.model ?? '',
      usage_estimated: this.estimated,
    };
  }

  snapshot(): PlannerSpend | undefined {
    return this.usage.total_tokens > 0
      ? { usage: this.usage, cost_usd: this.cost, model: this.model }
      : undefined;
  }
}
