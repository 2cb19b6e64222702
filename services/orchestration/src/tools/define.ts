import { API_NUMBER_PATTERN, isoDate, parseApiNumber } from '@aegis/common';
import { z } from 'zod';
import type { ToolContext, ToolDefinition } from './types';

/** A tool with its argument type inferred from its zod input; stored in the registry untyped. */
export function defineTool<S extends z.ZodType<Record<string, unknown>>, O>(
  tool: Omit<ToolDefinition<z.output<S>, O>, 'input'> & { input: S },
): ToolDefinition {
  return tool;
}

type Service = Parameters<ToolContext['clients']['call']>[0];

/** A tool that posts its validated arguments to a service route and answers the service's reply. */
export function postTool<S extends z.ZodType<Record<string, unknown>>>(
  service: Service,
  path: string,
  spec: { name: string; description: string; input: S },
): ToolDefinition {
  return defineTool({
    ...spec,
    run: (args, ctx) => serviceCall(ctx, service, 'POST', path, args),
  });
}

/** A Texas API number in any written form (dashes, 10/12/14 digits) → the normalised 14 digits (the
 * Well entity id of the graph). */
export const wellId = z
  .string()
  .min(1)
  .max(40)
  .transform((value, ctx) => {
    const parsed = parseApiNumber(value);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: `not a valid API number: ${parsed.reason}` });
    return z.NEVER;
  })
  .meta({
    description: 'The well: its Texas API number (14 digits, dashes allowed; 10 or 12 digits are padded).',
    pattern: API_NUMBER_PATTERN,
  });

export const asOf = isoDate().optional().describe('The day to evaluate on (YYYY-MM-DD, default today).');

/** `?a=1&b=x` of the defined values (undefined ones left out). */
export function queryString(values: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * One service call of a tool with the run's caller, given up when the run is cancelled (its signal):
 * the run stops waiting at once rather than when a slow service answers.
 */
export function serviceCall<T>(
  ctx: ToolContext,
  service: Service,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const { signal } = ctx;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    ctx.clients.call<T>(service, method, path, ctx.caller, body).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The run was cancelled', 'AbortError');
}

/** The service calls of a tool, bound to the run's caller and signal. */
export const kg = <T>(ctx: ToolContext, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) =>
  serviceCall<T>(ctx, 'knowledge-graph', method, path, body);
export const flaring = <T>(ctx: ToolContext, method: 'GET' | 'POST', path: string, body?: unknown) =>
  serviceCall<T>(ctx, 'flaring-monitor', method, path, body);
export const compliance = <T>(ctx: ToolContext, method: 'GET' | 'POST', path: string, body?: unknown) =>
  serviceCall<T>(ctx, 'compliance-monitor', method, path, body);

/** Drops the undefined values of an object (so request bodies carry only what was given). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
