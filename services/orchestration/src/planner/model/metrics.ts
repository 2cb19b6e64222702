import { Counter, Histogram, type Registry } from 'prom-client';
import type { TokenUsage } from '../types';
import type { AttemptOutcome } from './client';

/** Model calls are slow: up to the request timeout (60 s by default). */
const MODEL_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

/** RED metrics of the model API (an upstream of the orchestration) and what its calls cost. */
export interface ModelMetrics {
  attempt(a: { model: string; outcome: AttemptOutcome; seconds: number }): void;
  usage(model: string, usage: TokenUsage, costUsd: number): void;
}

/** Registers the model metrics on the service's registry (its `/metrics`). */
export function createModelMetrics(registry: Registry): ModelMetrics {
  const requests = new Counter({
    name: 'aegis_llm_requests_total',
    help: 'Attempts at the model API, by model and outcome (ok, rate_limited, server_error, network_error, timeout, malformed_reply, refused, cancelled).',
    labelNames: ['model', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'aegis_llm_request_duration_seconds',
    help: 'Duration of attempts at the model API in seconds, by model and outcome.',
    labelNames: ['model', 'outcome'] as const,
    buckets: MODEL_DURATION_BUCKETS,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'aegis_llm_tokens_total',
    help: 'Tokens used by model calls (reported by the API, else estimated), by model and kind (prompt, completion).',
    labelNames: ['model', 'kind'] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: 'aegis_llm_cost_usd_total',
    help: 'Estimated cost of model calls in USD (the price table), by model.',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  return {
    attempt({ model, outcome, seconds }) {
      requests.inc({ model, outcome });
      duration.observe({ model, outcome }, seconds);
    },
    usage(model, usage, costUsd) {
      tokens.inc({ model, kind: 'prompt' }, usage.prompt_tokens);
      tokens.inc({ model, kind: 'completion' }, usage.completion_tokens);
      if (costUsd > 0) cost.inc({ model }, costUsd);
    },
  };
}
