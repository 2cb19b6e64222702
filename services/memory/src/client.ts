import {
  AppError,
  envInt,
  envString,
  serviceByName,
  UpstreamError,
  type ErrorDetail,
  type ListEnvelope,
  type Logger,
} from '@aegis/common';
import { callerRequest, detailOf, type GraphCaller, type JsonReply } from '@aegis/graph-client';
import type { z } from 'zod';
import type { FieldPatch } from './domain/working-memory';
import type { EpisodeInput } from './episodic/episodes';
import type {
  episode,
  episodeSearchResult,
  injection,
  ledgerCheck,
  ledgerMark,
  workingMemory,
} from './routes/schemas';

/** Whom a call is for: a bearer token (a service token of ADR 0019, or a user's), and the tenant to
 * act on when it is not the token's own (a service token names it on every call). */
export type MemoryCaller = GraphCaller;

export type WorkingMemoryView = z.output<typeof workingMemory>;
export type EpisodeView = z.output<typeof episode>;
export type EpisodeSearchResult = z.output<typeof episodeSearchResult>;
export type SkillInjection = z.output<typeof injection>;
export type LedgerCheck = z.output<typeof ledgerCheck>;
export type LedgerMark = z.output<typeof ledgerMark>;
export type { EpisodeInput };

export interface EpisodeQuery {
  query: string;
  agent_id?: string;
  user_id?: string;
  limit?: number;
}

/** The memory service's API as functions (spec §8 memory). A refusal of the service (4xx) is thrown
 * as an AppError with its status, code and detail; the service failing or unreachable is a 502/504
 * (`memory_unavailable`, `memory_timeout`). */
export interface MemoryClient {
  /** The conversation's working memory (its expiry pushed on); undefined when there is none. */
  getWorkingMemory(caller: MemoryCaller, conversationId: string): Promise<WorkingMemoryView | undefined>;
  /** Merges `fields` (`null` deletes a field); a map over 64 KB is refused with a 413 AppError
   * `working_memory_too_large` and nothing changes. */
  putWorkingMemory(
    caller: MemoryCaller,
    conversationId: string,
    fields: FieldPatch,
  ): Promise<WorkingMemoryView>;
  /** False when there was none. */
  deleteWorkingMemory(caller: MemoryCaller, conversationId: string): Promise<boolean>;
  storeEpisode(caller: MemoryCaller, input: EpisodeInput): Promise<EpisodeView>;
  searchEpisodes(caller: MemoryCaller, query: EpisodeQuery): Promise<EpisodeSearchResult>;
  /** One page (spec §6) of a conversation's episodes. */
  listEpisodes(
    caller: MemoryCaller,
    conversationId: string,
    page?: { page?: number; page_size?: number },
  ): Promise<ListEnvelope<EpisodeView>>;
  /** Every skill injected into the conversation, oldest first. */
  injectedSkills(caller: MemoryCaller, conversationId: string): Promise<SkillInjection[]>;
  checkSkills(
    caller: MemoryCaller,
    conversationId: string,
    skillIds: readonly string[],
  ): Promise<LedgerCheck>;
  /** Inject exactly the skills in `newly_marked`. */
  markSkills(caller: MemoryCaller, conversationId: string, skillIds: readonly string[]): Promise<LedgerMark>;
}

export interface MemoryClientOptions {
  /** e.g. `http://127.0.0.1:8002` (the registry's port). */
  baseUrl: string;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

/** The environment of a service that calls memory (spread into its env schema): where (the registry's
 * loopback address by default) and how long a request may take. */
export const memoryClientEnv = {
  MEMORY_URL: envString(`http://127.0.0.1:${serviceByName('memory').port}`),
  MEMORY_TIMEOUT_MS: envInt(10_000, 100, 120_000),
};

export interface MemoryClientSettings {
  memoryUrl: string;
  memoryTimeoutMs: number;
}

export function memoryClientSettings(e: {
  MEMORY_URL: string;
  MEMORY_TIMEOUT_MS: number;
}): MemoryClientSettings {
  return { memoryUrl: e.MEMORY_URL.replace(/\/$/, ''), memoryTimeoutMs: e.MEMORY_TIMEOUT_MS };
}

/** The client of a running service, from its `memoryClientSettings`. */
export function memoryClientOf(settings: MemoryClientSettings, logger?: Logger): MemoryClient {
  return createMemoryClient({ baseUrl: settings.memoryUrl, timeoutMs: settings.memoryTimeoutMs, logger });
}

const MEMORY = { name: 'memory service', code: 'memory' };
const LEDGER_PAGE = 100;

export function createMemoryClient(options: MemoryClientOptions): MemoryClient {
  const call = callerRequest({ ...options, timeoutMs: options.timeoutMs ?? 10_000, upstream: MEMORY });
  const path = (...segments: string[]) => segments.map((s) => `/${encodeURIComponent(s)}`).join('');

  /** The body of an expected status; a refusal (4xx) as the service said it; anything else a 502. */
  const expect = <T>(reply: JsonReply, ...ok: number[]): T => {
    if (ok.includes(reply.status)) return reply.body as T;
    const code = (reply.body as { code?: unknown } | undefined)?.code;
    const detail = detailOf(reply.body);
    if (reply.status >= 400 && reply.status < 500 && typeof code === 'string')
      return thrown(new AppError(reply.status, code, detail as ErrorDetail));
    options.logger?.error({ status: reply.status, detail }, 'Memory service answered unexpectedly');
    return thrown(new UpstreamError(`The memory service answered ${reply.status}`, 'memory_unavailable'));
  };

  return {
    async getWorkingMemory(caller, conversationId) {
      const reply = await call('GET', path('working-memory', conversationId), caller);
      return reply.status === 404 ? undefined : expect<WorkingMemoryView>(reply, 200);
    },
    async putWorkingMemory(caller, conversationId, fields) {
      return expect(await call('PUT', path('working-memory', conversationId), caller, { fields }), 200);
    },
    async deleteWorkingMemory(caller, conversationId) {
      const reply = await call('DELETE', path('working-memory', conversationId), caller);
      if (reply.status === 404) return false;
      expect(reply, 204);
      return true;
    },
    async storeEpisode(caller, input) {
      return expect(await call('POST', '/episodic/store', caller, input), 201);
    },
    async searchEpisodes(caller, query) {
      return expect(await call('POST', '/episodic/search', caller, query), 200);
    },
    async listEpisodes(caller, conversationId, page = {}) {
      const q = new URLSearchParams();
      if (page.page !== undefined) q.set('page', String(page.page));
      if (page.page_size !== undefined) q.set('page_size', String(page.page_size));
      const suffix = q.size > 0 ? `?${q.toString()}` : '';
      return expect(await call('GET', `${path('episodic', conversationId)}${suffix}`, caller), 200);
    },
    async injectedSkills(caller, conversationId) {
      const all: SkillInjection[] = [];
      for (let page = 1; ; page += 1) {
        const reply = await call(
          'GET',
          `${path('ledger', conversationId)}?page=${page}&page_size=${LEDGER_PAGE}`,
          caller,
        );
        const body = expect<ListEnvelope<SkillInjection>>(reply, 200);
        all.push(...body.data);
        if (body.data.length < LEDGER_PAGE || all.length >= body.total) return all;
      }
    },
    async checkSkills(caller, conversationId, skillIds) {
      const reply = await call('POST', `${path('ledger', conversationId)}/check`, caller, {
        skill_ids: skillIds,
      });
      return expect(reply, 200);
    },
    async markSkills(caller, conversationId, skillIds) {
      const reply = await call('POST', `${path('ledger', conversationId)}/mark`, caller, {
        skill_ids: skillIds,
      });
      return expect(reply, 200);
    },
  };
}

function thrown(err: Error): never {
  throw err;
}
