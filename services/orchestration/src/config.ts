import {
  authClientEnv,
  authClientSettings,
  configLoader,
  envInt,
  envString,
  graphClientEnv,
  graphClientSettings,
  invalidEnv,
  serviceByName,
  serviceEnvSchema,
  serviceIdentityEnv,
  serviceSettings,
} from '@aegis/common';
import { memoryClientEnv, memoryClientSettings } from '@aegis/memory';
import { checklistsEnv, checklistsSettings } from './checklists/config';
import { z } from 'zod';

export const SERVICE_NAME = 'orchestration';

export type Config = z.output<typeof configSchema>;

const local = (name: Parameters<typeof serviceByName>[0]) => `http://127.0.0.1:${serviceByName(name).port}`;
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The orchestration environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    ...authClientEnv,
    ...graphClientEnv,
    ...memoryClientEnv,
    /** Tools and resumed runs call the platform with the service's own token (ADR 0019). */
    ...serviceIdentityEnv,
    /** Filing checklists' artifacts: size limit and storage (local directory or S3-compatible). */
    ...checklistsEnv,
    FLARING_MONITOR_URL: envString(local('flaring-monitor')),
    COMPLIANCE_MONITOR_URL: envString(local('compliance-monitor')),
    APPROVALS_URL: envString(local('approvals')),
    /** Per-request timeout of the calls tools make to the other services. */
    TOOL_TIMEOUT_MS: envInt(30_000, 100, 600_000),
    /** A directory of extra or replacing agent definition files (`*.json`); empty: the bundled five. */
    AGENTS_DIR: envString(''),
    /** OpenAI-compatible chat-completions base URL (e.g. `https://api.openai.com/v1`); empty: the
     * deterministic planner answers offline. */
    LLM_BASE_URL: envString(''),
    LLM_API_KEY: envString(''),
    /** Overrides the agent definitions' primary model when set. */
    LLM_MODEL: envString(''),
    /** Overrides the agent definitions' fallback model when set. */
    LLM_FALLBACK_MODEL: envString(''),
    LLM_TIMEOUT_MS: envInt(60_000, 100, 600_000),
    /** Retries of one model on 429 / 5xx / network failure before the fallback model is tried. */
    LLM_MAX_RETRIES: envInt(3, 0, 10),
    /** First backoff delay; doubles per retry (with jitter), a Retry-After header wins. */
    LLM_RETRY_BASE_MS: envInt(500, 0, 60_000),
    /** JSON `{"<model>": {"prompt_per_1k": 0.0025, "completion_per_1k": 0.01}}` merged over the
     * built-in price table. */
    LLM_PRICES: envString(''),
    /** How often the compliance- and flaring-monitor agents run per tenant; 0 turns the schedule off. */
    MONITOR_AGENTS_INTERVAL_MS: envInt(3_600_000, 0, 86_400_000 * 7),
    /** How often a paused run looks for its approval's decision (the outbox) besides its stream. */
    APPROVAL_POLL_MS: envInt(2_000, 50, 300_000),
    /** `: ping` interval of the conversation stream (at least every 15 s). */
    SSE_HEARTBEAT_MS: envInt(15_000, 10, 15_000),
  })
  .transform((e, ctx) => {
    let llmPrices: Record<string, { prompt_per_1k: number; completion_per_1k: number }> = {};
    if (e.LLM_PRICES) {
      const parsed = pricesSchema.safeParse(safeJson(e.LLM_PRICES));
      if (!parsed.success)
        return invalidEnv(
          ctx,
          'LLM_PRICES',
          'must be JSON {"<model>": {"prompt_per_1k": n, "completion_per_1k": n}}',
        );
      llmPrices = parsed.data;
    }
    const settings = serviceSettings(e);
    return {
      ...settings,
      checklists: checklistsSettings(e, settings.dataDir, ctx),
      ...authClientSettings(e),
      authUrl: trimSlash(e.AUTH_URL),
      ...graphClientSettings(e),
      ...memoryClientSettings(e),
      serviceClientSecret: e.SERVICE_CLIENT_SECRET,
      flaringMonitorUrl: trimSlash(e.FLARING_MONITOR_URL),
      complianceMonitorUrl: trimSlash(e.COMPLIANCE_MONITOR_URL),
      approvalsUrl: trimSlash(e.APPROVALS_URL),
      toolTimeoutMs: e.TOOL_TIMEOUT_MS,
      agentsDir: e.AGENTS_DIR || undefined,
      llm: e.LLM_BASE_URL
        ? {
            baseUrl: trimSlash(e.LLM_BASE_URL),
            apiKey: e.LLM_API_KEY || undefined,
            model: e.LLM_MODEL || undefined,
            fallbackModel: e.LLM_FALLBACK_MODEL || undefined,
            timeoutMs: e.LLM_TIMEOUT_MS,
            maxRetries: e.LLM_MAX_RETRIES,
            retryBaseMs: e.LLM_RETRY_BASE_MS,
            prices: llmPrices,
          }
        : undefined,
      monitorAgentsIntervalMs: e.MONITOR_AGENTS_INTERVAL_MS,
      approvalPollMs: e.APPROVAL_POLL_MS,
      sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    };
  });

const pricesSchema = z.record(
  z.string().min(1),
  z.strictObject({ prompt_per_1k: z.number().nonnegative(), completion_per_1k: z.number().nonnegative() }),
);

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses the orchestration environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
