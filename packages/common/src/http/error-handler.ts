import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, errorBody, NotFoundError, ValidationError } from '../errors';
import type { ServiceState } from './state';
import { zodIssues } from './validation';

export interface ErrorHandlerOptions {
  logger: Logger;
  /** Gateway-generated errors also carry `error`. */
  gateway?: boolean;
}

/** Turns anything thrown below it into the error shape of spec §5. Unknown errors become a 500
 * whose body says nothing about internals; they are logged once, here. */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return new ValidationError(zodIssues(err, 'body', undefined));
  return undefined;
}

export function errorHandler(options: ErrorHandlerOptions): Middleware<ServiceState> {
  const { logger, gateway = false } = options;
  return async function errorHandlerMiddleware(ctx, next) {
    try {
      await next();
      if (ctx.body === undefined && !ctx.headerSent) {
        if (ctx.status === 404)
          throw new NotFoundError(`No route for ${ctx.method} ${ctx.path}`, 'route_not_found');
        // A router's method answers keep the Allow header it set.
        if (ctx.status === 405) throw new AppError(405, 'method_not_allowed', 'Method not allowed');
      }
    } catch (err) {
      let appError = toAppError(err);
      if (!appError) {
        logger.error({ err, requestId: ctx.state.requestId, path: ctx.path }, 'Request failed unexpectedly');
        appError = new AppError(500, 'internal_error', 'Internal server error');
      }
      if (ctx.headerSent || !ctx.writable) {
        ctx.res.destroy();
        return;
      }
      ctx.status = appError.status;
      for (const [name, value] of Object.entries(appError.headers)) ctx.set(name, value);
      ctx.type = 'application/json';
      ctx.body = errorBody(appError, ctx.state.requestId, gateway);
    }
  };
}
