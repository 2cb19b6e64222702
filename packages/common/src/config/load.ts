import { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment with a zod schema whose input keys are variable names (usually an object
 * of `env*` pieces with a `.transform` to the camelCase configuration). A bad value stops start-up
 * with a message naming the variable: an issue's path is the variable name. The result is frozen. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): Readonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}

/** A deployable's `loadConfig(env)` over its schema: parsed once at start-up, frozen; a bad value
 * throws a ConfigError naming the variable. */
export function configLoader<S extends z.ZodType>(
  schema: S,
): (env: NodeJS.ProcessEnv) => Readonly<z.output<S>> {
  return (env) => loadEnv(schema, env);
}

/** Reports a configuration error found after parsing (a rule across variables) from a `.transform`,
 * in the same form as a bad value: `VARIABLE: message`. */
export function invalidEnv(ctx: z.RefinementCtx, variable: string, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', path: [variable], message });
  return z.NEVER;
}

/** Environment booleans: 1/true/yes/on and 0/false/no/off. */
export const envBool = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(v)));

export const envInt = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

export const envString = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v));

export const envList = (fallback: string[]) =>
  z
    .string()
    .optional()
    .transform((v) =>
      v === undefined || v.trim() === ''
        ? fallback
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    );

/** pino's levels: what `LOG_LEVEL` accepts in every deployable. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL`, validated the same way by every service, the gateway and the operator. */
export const envLogLevel = () => z.enum(LOG_LEVELS).default('info');
