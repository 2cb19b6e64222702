import fc from 'fast-check';
import {
  CompletionAccumulator,
  completionFromJson,
  completionFromStream,
  MalformedReplyError,
  sseData,
} from './completion';

/** A body that delivers `text` in the given pieces (byte offsets), like a network would. */
function bodyOf(text: string, cuts: number[] = []): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    if (p > start) parts.push(bytes.subarray(start, p));
    start = Math.max(start, p);
  }
  return new ReadableStream({
    start(controller) {
      parts.forEach((p) => controller.enqueue(p));
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of sseData(body)) out.push(d);
  return out;
}

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

describe('sseData', () => {
  it('yields data payloads, joins multi-line data, skips comments and other fields, accepts CRLF', async () => {
    const text =
      ': ping\n\nevent: x\ndata: one\n\ndata: two\r\ndata: lines\r\n\r\nid: 3\ndata:three\n\ndata: last';
    expect(await collect(bodyOf(text))).toEqual(['one', 'two\nlines', 'three', 'last']);
  });

  it('gives the same payloads however the bytes are cut (UTF-8 characters and lines included)', async () => {
    const text =
      chunk({ content: 'Flared 1 250 Mcf — 62,5 % ✓' }) + chunk({ content: 'ünïcödé' }) + 'data: [DONE]\n\n';
    const whole = await collect(bodyOf(text));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 400 }), { maxLength: 30 }), async (cuts) => {
        expect(await collect(bodyOf(text, cuts))).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });
});

describe('completionFromStream', () => {
  it('joins content and tool-call deltas by index and keeps the final usage', async () => {
    const tokens: string[] = [];
    const text =
      chunk({ role: 'assistant', content: '' }) +
      chunk({ content: 'Let me ' }) +
      chunk({ content: 'check.' }) +
      chunk({ tool_calls: [{ index: 1, id: 'call_2', function: { name: 'b', arguments: '' } }] }) +
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'a', arguments: '{"x"' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }) +
      chunk({ tool_calls: [{ index: 1, function: { name: 'b', arguments: '{}' } }] }) +
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n` +
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 7 } })}\n\n` +
      'data: [DONE]\n\n';

    const c = await completionFromStream(bodyOf(text), (t) => tokens.push(t));

    expect(tokens).toEqual(['Let me ', 'check.']);
    expect(c).toEqual({
      content: 'Let me check.',
      toolCalls: [
        { id: 'call_1', name: 'a', arguments: '{"x":1}' },
        { id: 'call_2', name: 'b', arguments: '{}' },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
      finishReason: 'tool_calls',
    });
  });

  it('accepts a stream without [DONE] once a finish reason came', async () => {
    const text =
      chunk({ content: 'ok' }) +
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
    await expect(completionFromStream(bodyOf(text), () => {})).resolves.toMatchObject({ content: 'ok' });
  });

  it.each([
    ['a stream that ends before the completion', chunk({ content: 'half' })],
    ['a chunk that is not JSON', 'data: {"choices": [\n\n'],
    ['an error event', `data: ${JSON.stringify({ error: { message: 'overloaded' } })}\n\n`],
  ])('treats %s as a malformed reply', async (_what, text) => {
    await expect(completionFromStream(bodyOf(text), () => {})).rejects.toBeInstanceOf(MalformedReplyError);
  });
});

describe('completionFromJson', () => {
  it('reads a non-streamed reply, object arguments included, and hands its text to onToken once', () => {
    const tokens: string[] = [];
    const c = completionFromJson(
      {
        choices: [
          {
            message: {
              role: 'assistant',
              content: 'Sure.',
              tool_calls: [{ id: 'c1', type: 'function', function: { name: 'a', arguments: { x: 1 } } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
      },
      (t) => tokens.push(t),
    );
    expect(tokens).toEqual(['Sure.']);
    expect(c.toolCalls).toEqual([{ id: 'c1', name: 'a', arguments: '{"x":1}' }]);
    expect(c.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });

  it('refuses a reply without choices', () => {
    expect(() => completionFromJson({ object: 'error' }, () => {})).toThrow(MalformedReplyError);
  });
});

describe('CompletionAccumulator', () => {
  it('uses the position when a server omits the index, and ignores other choices', () => {
    const acc = new CompletionAccumulator(() => {});
    acc.add({
      choices: [
        { index: 1, delta: { content: 'other choice' } },
        { index: 0, delta: { tool_calls: [{ id: 'a', function: { name: 'x', arguments: '{}' } }] } },
      ],
    });
    expect(acc.result()).toMatchObject({ content: '', toolCalls: [{ id: 'a', name: 'x', arguments: '{}' }] });
  });
});

/** Chunks shaped like the API's, with any values where the fields are. */
const any = fc.jsonValue();
const chunkLike = fc.record(
  {
    choices: fc.array(
      fc.record(
        {
          index: fc.oneof(fc.constant(0), any),
          delta: fc.record(
            {
              content: any,
              tool_calls: fc.oneof(
                any,
                fc.array(
                  fc.record(
                    {
                      index: any,
                      id: any,
                      function: fc.record({ name: any, arguments: any }, { requiredKeys: [] }),
                    },
                    { requiredKeys: [] },
                  ),
                ),
              ),
            },
            { requiredKeys: [] },
          ),
          finish_reason: any,
        },
        { requiredKeys: [] },
      ),
    ),
    usage: any,
  },
  { requiredKeys: [] },
);

describe('CompletionAccumulator (any chunk)', () => {
  it('never fails on a chunk with anything but MalformedReplyError', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), chunkLike), { maxLength: 5 }), (chunks) => {
        const acc = new CompletionAccumulator(() => {});
        for (const chunk of chunks) {
          try {
            acc.add(chunk);
          } catch (err) {
            expect(err).toBeInstanceOf(MalformedReplyError);
          }
        }
        expect(() => acc.result()).not.toThrow();
      }),
    );
  });
});
