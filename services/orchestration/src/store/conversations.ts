import { listPage, type PageParams, type Selectable } from '@aegis/common';
import type { ConversationsTable, MessagesTable, OrchestrationDb } from './schema';

export const CONVERSATION_STATUSES = ['active', 'archived'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export interface Conversation {
  conversation_id: string;
  agent_type: string;
  agent_id: string;
  title: string;
  status: ConversationStatus;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface Message {
  message_id: string;
  seq: number;
  role: MessageRole;
  content: string;
  run_id: string | null;
  created_at: string;
}

export type ConversationSortColumn = 'created_at' | 'updated_at' | 'title';
export type MessageSortColumn = 'seq' | 'created_at';

export function toConversation(row: Selectable<ConversationsTable>): Conversation {
  return {
    conversation_id: row.conversation_id,
    agent_type: row.agent_type,
    agent_id: row.agent_id,
    title: row.title,
    status: row.status as ConversationStatus,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    message_id: row.message_id,
    seq: Number(row.seq),
    role: row.role as MessageRole,
    content: row.content,
    run_id: row.run_id,
    created_at: row.created_at,
  };
}

export async function insertConversation(
  { db }: OrchestrationDb,
  tenant: string,
  c: Conversation,
): Promise<void> {
  await db
    .insertInto('conversations')
    .values({ ...c, tenant_id: tenant, deleted_at: null })
    .execute();
}

/** The conversation, or undefined when it does not exist in the tenant or was deleted. */
export async function findConversation(
  { db }: OrchestrationDb,
  tenant: string,
  id: string,
): Promise<Conversation | undefined> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toConversation(row);
}

export async function listConversations(
  { db }: OrchestrationDb,
  tenant: string,
  filters: { agent_type?: string; status?: string },
  params: PageParams<ConversationSortColumn>,
): Promise<{ rows: Conversation[]; total: number }> {
  let query = db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('deleted_at', 'is', null);
  if (filters.agent_type) query = query.where('agent_type', '=', filters.agent_type);
  if (filters.status) query = query.where('status', '=', filters.status);
  const { rows, total } = await listPage(query, params, { tiebreaker: 'conversation_id' });
  return { rows: rows.map(toConversation), total };
}

/** Changes title and/or status of a live conversation; false when there is none. */
export async function updateConversation(
  { db }: OrchestrationDb,
  tenant: string,
  id: string,
  patch: { title?: string; status?: ConversationStatus },
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ ...patch, updated_at: at })
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Soft delete: the conversation disappears from every read; its runs stay for the audit trail. */
export async function softDeleteConversation(
  { db }: OrchestrationDb,
  tenant: string,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ deleted_at: at, updated_at: at })
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Appends a message as the conversation's next seq (one run per conversation at a time writes). */
export async function appendMessage(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
  m: { message_id: string; role: MessageRole; content: string; run_id: string | null; created_at: string },
): Promise<Message> {
  const last = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  const row = { ...m, seq: Number(last?.seq ?? 0) + 1, tenant_id: tenant, conversation_id: conversationId };
  await db.insertInto('messages').values(row).execute();
  return toMessage(row);
}

export async function listMessages(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
  params: PageParams<MessageSortColumn>,
): Promise<{ rows: Message[]; total: number }> {
  const query = db
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId);
  const { rows, total } = await listPage(query, params, { tiebreaker: 'seq' });
  return { rows: rows.map(toMessage), total };
}

/** The newest `limit` messages, oldest first (a run's view of the conversation so far). */
export async function recentMessages(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
  limit: number,
): Promise<Message[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toMessage).reverse();
}
