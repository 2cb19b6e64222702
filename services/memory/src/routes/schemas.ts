import { isoDateTime, resourceId } from '@aegis/common';
import { z } from 'zod';
import { WORKING_MEMORY_MAX_BYTES } from '../domain/working-memory';
import { RANKINGS } from '../episodic/episodes';

/** A conversation id: a client-chosen id under the platform's resource id rule. */
export const conversationParams = z.object({ conversation_id: resourceId() });

export const FIELD_NAME_MAX_LENGTH = 256;

const fieldName = z.string().min(1).max(FIELD_NAME_MAX_LENGTH);

export const workingMemoryPut = z
  .strictObject({
    fields: z
      .record(fieldName, z.unknown())
      .describe(
        'Fields merged into the stored map: each replaces the stored field of that name whole (no deep merge), `null` deletes the field, fields not named are kept.',
      ),
  })
  .meta({ id: 'WorkingMemoryPut' });

export const workingMemory = z
  .strictObject({
    conversation_id: z.string(),
    fields: z.record(z.string(), z.unknown()),
    size_bytes: z
      .int()
      .min(2)
      .max(WORKING_MEMORY_MAX_BYTES)
      .describe('UTF-8 bytes of the JSON serialisation of `fields` (the 64 KB cap applies to this).'),
    expires_at: z
      .string()
      .nullable()
      .describe(
        'When the map disappears unless accessed again; null when nothing is stored (an emptied map).',
      ),
  })
  .meta({ id: 'WorkingMemory' });

const tags = z.array(z.string().min(1).max(64)).max(50);

export const episodeInput = z
  .strictObject({
    summary: z.string().min(1).max(32_000).regex(/\S/, { message: 'must not be blank' }),
    metadata: z.strictObject({
      conversation_id: resourceId(),
      agent_id: resourceId().optional(),
      user_id: resourceId().optional(),
      tags: tags.optional(),
      created_at: isoDateTime()
        .optional()
        .describe('When the episode happened; the time it is stored by default.'),
    }),
  })
  .meta({ id: 'EpisodeInput' });

export const episode = z
  .strictObject({
    episode_id: z.string(),
    summary: z.string(),
    metadata: z.strictObject({
      conversation_id: z.string(),
      agent_id: z.string().nullable(),
      user_id: z.string().nullable(),
      tags: z.array(z.string()),
      created_at: z.string(),
    }),
    stored_at: z.string(),
  })
  .meta({ id: 'Episode' });

export const SEARCH_LIMIT_MAX = 100;

export const episodeSearch = z
  .strictObject({
    query: z.string().min(1).max(2000),
    agent_id: resourceId().optional(),
    user_id: resourceId().optional(),
    limit: z.int().min(1).max(SEARCH_LIMIT_MAX).default(10),
  })
  .meta({ id: 'EpisodeSearch' });

export const episodeSearchResult = z
  .strictObject({
    ranking: z
      .enum(RANKINGS)
      .describe(
        '`bm25` (SQLite FTS5), `ts_rank_cd` (PostgreSQL full text), `embedding_cosine` (cosine similarity of embeddings, computed in the service) or `pgvector_cosine` (the same, computed by pgvector in PostgreSQL).',
      ),
    data: z.array(episode.extend({ score: z.number().describe('Higher is more similar.') })),
  })
  .meta({ id: 'EpisodeSearchResult' });

const skillIds = z.array(resourceId()).min(1).max(100);

export const skillIdsBody = z.strictObject({ skill_ids: skillIds }).meta({ id: 'SkillIds' });

export const injection = z
  .strictObject({ skill_id: z.string(), injected_at: z.string() })
  .meta({ id: 'SkillInjection' });

export const ledgerCheck = z
  .strictObject({
    conversation_id: z.string(),
    injected: z
      .array(z.string())
      .describe('Of the skills asked about, those already given to the conversation.'),
    not_injected: z.array(z.string()),
  })
  .meta({ id: 'LedgerCheck' });

export const ledgerMark = z
  .strictObject({
    conversation_id: z.string(),
    newly_marked: z.array(z.string()).describe('Marked by this call: inject these.'),
    already_marked: z
      .array(z.string())
      .describe('Marked before (by an earlier or a concurrent call): do not inject.'),
  })
  .meta({ id: 'LedgerMark' });
