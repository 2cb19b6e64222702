import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ServiceState } from './state';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Accepts a well-formed incoming `X-Request-Id` (so ids survive the gateway hop) or makes one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_ID.test(value) ? value : randomUUID();
}

export function requestId(): Middleware<ServiceState> {
  return async function requestIdMiddleware(ctx, next) {
    const id = requestIdFrom(ctx.get('x-request-id') || undefined);
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
