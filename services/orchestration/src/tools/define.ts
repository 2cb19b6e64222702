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
    run: (args, ctx) => ctx.clients.call(service, 'POST', path, ctx.caller, args),
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

/** The service calls of a tool, bound to the run's caller. */
export const kg = <T>(ctx: ToolContext, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) =>
  ctx.clients.call<T>('knowledge-graph', method, path, ctx.caller, body);
export const flaring = <T>(ctx: ToolContext, method: 'GET' | 'POST', path: string, body?: unknown) =>
  ctx.clients.call<T>('flaring-monitor', method, path, ctx.caller, body);
export const compliance = <T>(ctx: ToolContext, method: 'GET' | 'POST', path: string, body?: unknown) =>
  ctx.clients.call<T>('compliance-monitor', method, path, ctx.caller, body);

/** Drops the undefined values of an object (so request bodies carry only what was given). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
