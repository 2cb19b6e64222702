import { AGENT_TYPES, CHECKPOINT_TYPES } from '@aegis/approvals';
import { resourceId } from '@aegis/common';
import { z } from 'zod';
import { CONVERSATION_STATUSES, MESSAGE_ROLES } from '../store/conversations';
import { RUN_STATUSES } from '../store/runs';

export const agentTypeSchema = z.enum(AGENT_TYPES).meta({ id: 'OrchestrationAgentType' });
const jsonObject = () => z.record(z.string(), z.unknown());
const budget = z.object({ tokens: z.number(), cost_usd: z.number() });

export const agentSchema = z
  .object({
    agent_id: z.string(),
    agent_type: agentTypeSchema,
    version: z.number().int(),
    name: z.string(),
    description: z.string(),
    model: z.object({
      primary: z.string(),
      fallback: z.string().optional(),
      temperature: z.number(),
      max_tokens: z.number().int(),
    }),
    tools: z.array(z.string()),
    skills: z.array(z.string()),
    approval_checkpoints: z.array(z.enum(CHECKPOINT_TYPES)),
    budgets: z.object({ per_run: budget, per_day: budget }),
    schedule: z.object({ prompt: z.string(), raise_alert_approval: z.boolean() }).optional(),
  })
  .meta({ id: 'Agent', description: 'An agent as data (its versioned definition file).' });

export const conversationIdParams = z.object({ conversation_id: resourceId() });
export const runParams = z.object({ conversation_id: resourceId(), run_id: resourceId() });

const userMessage = z
  .string()
  .min(1)
  .max(32_000)
  .regex(/\S/, { message: 'must not be blank' })
  .describe('The request to the agent');

export const executeBody = z
  .strictObject({
    agent_type: agentTypeSchema,
    user_message: userMessage,
    conversation_id: resourceId()
      .optional()
      .describe('Continue this conversation (its agent type must match); a new one is created when absent'),
    context: jsonObject()
      .optional()
      .describe(
        'Extra facts for the agent, e.g. `{"well_id": "42-317-30000"}` (the well the request is about)',
      ),
  })
  .meta({ id: 'ExecuteRequest' });

const tokenUsage = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
  })
  .meta({ id: 'TokenUsage' });

export const executeResult = z
  .object({
    run_id: z.string(),
    status: z.enum(['completed', 'awaiting_approval', 'rejected']),
    conversation_id: z.string(),
    agent_type: agentTypeSchema,
    response: z.string(),
    tools_called: z.array(z.string()).describe('The tools the run called, in order'),
    skills_injected: z.array(z.string()).describe('Skills whose full definition this run injected'),
    approval_required: z.boolean(),
    approval_id: z.string().optional().describe('When the run stopped at an approval checkpoint'),
    token_usage: tokenUsage,
    cost_usd: z.number(),
  })
  .meta({ id: 'ExecuteResult' });

export const conversationStatusSchema = z.enum(CONVERSATION_STATUSES).meta({ id: 'ConversationStatus' });

export const conversationSchema = z
  .object({
    conversation_id: z.string(),
    agent_type: agentTypeSchema,
    agent_id: z.string(),
    title: z.string(),
    status: conversationStatusSchema,
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Conversation' });

export const messageSchema = z
  .object({
    message_id: z.string(),
    seq: z.number().int(),
    role: z.enum(MESSAGE_ROLES),
    content: z.string(),
    run_id: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'ConversationMessage' });

export const conversationWithMessages = conversationSchema
  .extend({ messages: z.array(messageSchema).describe('The newest 200 messages, oldest first') })
  .meta({ id: 'ConversationWithMessages' });

const title = z.string().min(1).max(200).regex(/\S/, { message: 'must not be blank' });

export const createConversationBody = z
  .strictObject({ agent_type: agentTypeSchema, title: title.optional() })
  .meta({ id: 'ConversationCreate' });

export const patchConversationBody = z
  .strictObject({ title: title.optional(), status: conversationStatusSchema.optional() })
  .refine((b) => b.title !== undefined || b.status !== undefined, { message: 'give title and/or status' })
  // The document says it too: an empty body is refused.
  .meta({ id: 'ConversationPatch', minProperties: 1 });

export const putConversationBody = z
  .strictObject({ title, status: conversationStatusSchema })
  .meta({ id: 'ConversationPut' });

export const runStatusSchema = z.enum(RUN_STATUSES).meta({ id: 'RunStatus' });

export const runSchema = z
  .object({
    run_id: z.string(),
    conversation_id: z.string(),
    agent_id: z.string(),
    agent_type: z.string(),
    agent_version: z.number().int(),
    planner: z.string(),
    user_id: z.string(),
    user_message: z.string(),
    status: runStatusSchema,
    response: z.string().nullable(),
    token_usage: tokenUsage,
    cost_usd: z.number(),
    tools_called: z.array(z.string()),
    skills_injected: z.array(z.string()),
    approval_id: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: 'AgentRun' });

const stepSchema = z
  .object({
    seq: z.number().int(),
    node: z.string(),
    status: z.string(),
    input: z.unknown(),
    output: z.unknown(),
    model: z.string().nullable(),
    token_usage: tokenUsage,
    cost_usd: z.number(),
    started_at: z.string(),
    ended_at: z.string(),
  })
  .meta({ id: 'RunStep' });

const toolCallSchema = z
  .object({
    seq: z.number().int(),
    call_id: z.string(),
    tool_name: z.string(),
    arguments: z.unknown(),
    status: z.string(),
    result: z.unknown(),
    error: z.unknown(),
    approval_id: z.string().nullable(),
    started_at: z.string(),
    ended_at: z.string().nullable(),
  })
  .meta({ id: 'RunToolCall' });

export const traceSchema = runSchema
  .extend({ steps: z.array(stepSchema), tool_calls: z.array(toolCallSchema) })
  .meta({
    id: 'RunTrace',
    description:
      'Every step of the run (inputs, outputs, tokens, cost) and every tool call with its arguments and result.',
  });

export const streamQuery = z.object({
  message: userMessage.optional().describe('Starts a run with this request; absent: follow the conversation'),
  agent_id: resourceId().optional(),
  agent_type: agentTypeSchema.optional(),
  last_event_id: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/)
    .optional()
    .describe('Alternative to the Last-Event-ID header'),
});
