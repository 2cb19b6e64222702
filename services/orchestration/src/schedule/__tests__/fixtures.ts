import { ConflictError, NotFoundError, type AlertDraft } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { AgentDefinition } from '../../agents/types';
import type { PlatformClients } from '../../tools/types';
import type { MonitorEngine, MonitorRunOutcome, MonitorRunRequest } from '../types';

/** A monitor agent as the domain table has it (50k tokens / $3 per run, 500k / $30 per day). */
export function monitorAgent(
  type: 'flaring_monitor' | 'compliance_monitor',
  schedule: AgentDefinition['schedule'] = { prompt: `Check the ${type} alerts.`, raise_alert_approval: true },
): AgentDefinition {
  const id = type === 'flaring_monitor' ? 'flaring-monitor-agent' : 'compliance-monitor-agent';
  return {
    agent_id: id,
    agent_type: type,
    version: 1,
    name: id,
    description: 'scheduled monitor',
    model: { primary: 'gpt-4o-mini', temperature: 0, max_tokens: 1000 },
    system_prompt: 'You watch alerts.',
    tools: [],
    skills: [],
    approval_checkpoints: ['compliance_alert'],
    budgets: { per_run: { tokens: 50_000, cost_usd: 3 }, per_day: { tokens: 500_000, cost_usd: 30 } },
    schedule,
  };
}

export const GENERAL: AgentDefinition = {
  ...monitorAgent('flaring_monitor'),
  agent_id: 'general-assistant',
  agent_type: 'general',
  approval_checkpoints: [],
  schedule: undefined,
};

export function alert(
  key: string,
  level: AlertDraft['level'] = 'critical',
  entity = '42317301230000',
): AlertDraft {
  return {
    level,
    code: `code_${key}`,
    rule: '16 TAC §3.32',
    entity: { label: 'Well', id: entity },
    message: `alert ${key}`,
    data: {},
    dedupe_key: key,
  };
}

/** The tenant a caller acts on (the schedule always passes `{ token, tenantId }`). */
export const tenantOf = (caller: GraphCaller): string | undefined =>
  typeof caller === 'string' ? undefined : caller.tenantId;

/** The monitors' answers per tenant, settable by the test; records every call. */
export function fakeClients() {
  const flaring = new Map<string, AlertDraft[]>();
  const deadlines = new Map<string, AlertDraft[]>();
  const production = new Map<string, AlertDraft[]>();
  const calls: { service: string; path: string; caller: GraphCaller; body: unknown }[] = [];
  let failFor: string | undefined;
  const clients: PlatformClients = {
    call: <T>(service: string, _method: string, path: string, caller: GraphCaller, body?: unknown) => {
      calls.push({ service, path, caller, body });
      const tenant = tenantOf(caller) ?? '';
      if (tenant === failFor) return Promise.reject(new Error('monitor down'));
      const of = (m: Map<string, AlertDraft[]>) => ({ alerts: m.get(tenant) ?? [] });
      const answers: Record<string, unknown> = {
        '/flaring/assess': of(flaring),
        '/compliance/deadlines': of(deadlines),
        '/compliance/production': of(production),
      };
      return Promise.resolve(answers[path] as T);
    },
  };
  return { clients, flaring, deadlines, production, calls, failOn: (t: string | undefined) => (failFor = t) };
}

/** An engine that answers every run with `status` (default completed) and records the requests. */
export function fakeEngine() {
  const requests: MonitorRunRequest[] = [];
  let seq = 0;
  let status = 'completed';
  let raises = true;
  const deletedConversations = new Set<string>();
  const busyConversations = new Set<string>();
  const engine: MonitorEngine = {
    run: (request) => {
      requests.push(request);
      if (request.conversationId && deletedConversations.has(request.conversationId))
        return Promise.reject(new NotFoundError('Conversation not found'));
      if (request.conversationId && busyConversations.has(request.conversationId))
        return Promise.reject(new ConflictError('A run is in progress', 'run_in_progress'));
      seq += 1;
      // As the engine with the offline planner does: asked to raise the alert, the run stops at the
      // raise_compliance_alert call's compliance_alert approval.
      const raised = request.context.raise_alert_approval === true && status === 'completed' && raises;
      const outcome: MonitorRunOutcome = {
        run_id: `run-${seq}`,
        conversation_id: request.conversationId ?? `conv-${request.tenantId}-${seq}`,
        status: raised ? 'awaiting_approval' : status,
        response: `summary ${seq}`,
        ...(raised ? { approval_id: `apr-${seq}` } : {}),
      };
      return Promise.resolve(outcome);
    },
  };
  return {
    engine,
    requests,
    setStatus: (s: string) => (status = s),
    /** A planner that ignores the request to raise the alert. */
    neverRaise: () => (raises = false),
    deleteConversation: (id: string) => deletedConversations.add(id),
    busyConversation: (id: string) => busyConversations.add(id),
  };
}

export function fakeIdentity(tenants: string[]) {
  return {
    tenants: () => Promise.resolve(tenants),
    caller: (tenantId: string) => Promise.resolve({ token: 'service-token', tenantId }),
  };
}
