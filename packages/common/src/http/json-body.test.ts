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

  it('ends a string at a quote after an even run of backslashes, not an odd one', () => {
    // "x\\" ends after the two escaped backslashes; "x\"[[" goes on past the escaped quote.
    expect(jsonNestsDeeperThan(JSON.stringify({ a: 'x\\\\', b: [[1]] }), 2)).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify({ a: 'x\\"[[[[', b: 1 }), 1)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.stringify({ a: 'x\\\\\\"[[', b: 1 }), 1)).toBe(false);
    // An unterminated string is the parser's to report.
    expect(jsonNestsDeeperThan('["abc', 0)).toBe(true);
    expect(jsonNestsDeeperThan('["abc', 1)).toBe(false);
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

  it('answers 400 invalid_encoding naming the offset for bytes that are not UTF-8, and never reaches the handler', async () => {
    seen = 'untouched';
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'invalid_encoding',
      detail: expect.stringContaining('offset 9'),
    });
    expect(seen).toBe('untouched');
  });

  it('answers 422 invalid_text naming the field or key that holds a lone surrogate', async () => {
    seen = 'untouched';
    const cases: [string, (string | number)[]][] = [
      ['{"entity_id":"lone2\\ud800"}', ['body', 'entity_id']],
      [
        '{"entities":[{},{},{},{"properties":{"name":"\\udc00x"}}]}',
        ['body', 'entities', 3, 'properties', 'name'],
      ],
      ['{"properties":{"bad\\ud83d":1}}', ['body', 'properties', 'bad\ud83d']],
      ['"\\ud800"', ['body']],
    ];
    for (const [body, loc] of cases) {
      const res = await post(body);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        code: 'validation_error',
        detail: [{ loc, type: 'invalid_text', msg: expect.stringContaining('well-formed') }],
      });
    }
    expect(seen).toBe('untouched');
  });

  it('accepts surrogate pairs, escaped or not, and text in any script', async () => {
    const value = { name: 'Pozo \u{1F6E2} ñandú 油井', escaped: '\ud83d\udee2' };
    const res = await post(JSON.stringify(value).replace('"\ud83d\udee2"', '"\\ud83d\\udee2"'));
    expect(res.status).toBe(200);
    expect(seen).toEqual({ name: value.name, escaped: '\u{1F6E2}' });
  });
});
