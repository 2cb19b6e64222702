import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createLogger } from '../log/logger';
import { errorHandler } from './error-handler';
import { jsonBody, jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-body';

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNestsDeeperThan(nested(3), 3)).toBe(false);
    expect(jsonNestsDeeperThan(nested(4), 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":{"b":[[1]]}}', 3)).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify({ a: '[[[[{{{{\\"[[[[' }), 1)).toBe(false);
  });

  it('agrees with the depth of any JSON value', () => {
    const depthOf = (v: unknown): number =>
      v !== null && typeof v === 'object'
        ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depthOf))
        : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        expect(jsonNestsDeeperThan(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
    );
  });
});

describe('jsonBody', () => {
  let server: http.Server;
  let url: string;
  let seen: unknown;

  beforeAll(async () => {
    const app = new Koa();
    app.use(errorHandler({ logger: createLogger({ service: 'test', level: 'silent' }) }));
    app.use(jsonBody());
    app.use((ctx) => {
      seen = (ctx.request as { body?: unknown }).body;
      ctx.body = { ok: true };
    });
    const handle = app.callback();
    server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it(`accepts a body nested ${MAX_JSON_DEPTH} levels deep`, async () => {
    const res = await post(nested(MAX_JSON_DEPTH));
    expect(res.status).toBe(200);
  });

  it('answers 422 naming the body for deeper nesting (5,000 levels), and never reaches the handler', async () => {
    seen = 'untouched';
    for (const body of [nested(MAX_JSON_DEPTH + 1), '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)]) {
      const res = await post(body);
      expect(res.status).toBe(422);
      const answer = (await res.json()) as { code: string; detail: { loc: string[]; type: string }[] };
      expect(answer.code).toBe('validation_error');
      expect(answer.detail).toEqual([expect.objectContaining({ loc: ['body'], type: 'nesting_too_deep' })]);
    }
    expect(seen).toBe('untouched');
  });
});
