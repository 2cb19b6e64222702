import { startScriptedLlm, type ScriptedLlm } from './scripted-llm';

let llm: ScriptedLlm;
beforeEach(async () => {
  llm = await startScriptedLlm();
});
afterEach(() => llm.close());

const ask = (body: Record<string, unknown>) =>
  fetch(`${llm.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  });

describe('startScriptedLlm', () => {
  it('answers the first queued reply that fits the model, and records the request', async () => {
    llm.enqueue({ model: 'big', content: 'from big' }, { model: 'small', content: 'from small' });

    const res = await ask({ model: 'small' });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      object: 'chat.completion',
      model: 'small',
      choices: [{ message: { role: 'assistant', content: 'from small' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: 3 },
    });
    expect(llm.pending).toBe(1);
    expect(llm.completions[0]).toMatchObject({ body: { model: 'small' }, answered: 200 });
    expect(llm.completions[0].headers.authorization).toBe('Bearer k');
  });

  it('streams chunks with the usage only when the request asks for it, then [DONE]', async () => {
    llm.enqueue({ content: 'abcdef', chunkSize: 4 }, { content: 'abcdef', chunkSize: 4 });

    const withUsage = await (await ask({ stream: true, stream_options: { include_usage: true } })).text();
    const without = await (await ask({ stream: true })).text();

    const data = (text: string) =>
      text
        .split('\n\n')
        .filter(Boolean)
        .map((e) => e.replace(/^data: /, ''));
    expect(data(withUsage).map((d) => (d === '[DONE]' ? d : JSON.parse(d)))).toEqual([
      expect.objectContaining({
        choices: [expect.objectContaining({ delta: { role: 'assistant', content: '' } })],
      }),
      expect.objectContaining({ choices: [expect.objectContaining({ delta: { content: 'abcd' } })] }),
      expect.objectContaining({ choices: [expect.objectContaining({ delta: { content: 'ef' } })] }),
      expect.objectContaining({ choices: [expect.objectContaining({ delta: {}, finish_reason: 'stop' })] }),
      expect.objectContaining({ choices: [], usage: expect.objectContaining({ completion_tokens: 2 }) }),
      '[DONE]',
    ]);
    expect(data(without)).toHaveLength(5);
  });

  it('streams some events then stalls with hangAfterEvents, until the client gives up', async () => {
    llm.enqueue({ content: 'abcdefgh', chunkSize: 2, hangAfterEvents: 3, eventDelayMs: 1 });
    const controller = new AbortController();
    const res = await fetch(`${llm.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/\n\n/g) ?? []).length < 3)
      text += new TextDecoder().decode((await reader.read()).value);
    const more = reader.read();
    const stalled = await Promise.race([
      more.then(() => 'data'),
      new Promise((r) => setTimeout(() => r('stalled'), 100)),
    ]);

    expect(stalled).toBe('stalled');
    expect(text).toContain('"content":"ab"');
    expect(text).toContain('"content":"cd"');
    expect(text).not.toContain('"content":"ef"');
    controller.abort();
    await more.catch(() => undefined);
  });

  it('sends scripted statuses with their headers, and a 400 once the queue is empty', async () => {
    llm.enqueue({ status: 429, headers: { 'retry-after': '1' } });

    const limited = await ask({ model: 'm' });
    const exhausted = await ask({ model: 'm' });

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(exhausted.status).toBe(400);
    expect(await exhausted.json()).toMatchObject({ error: { type: 'scripted_llm_exhausted' } });
  });

  it('answers with the default reply or a function of the request when configured', async () => {
    llm.setDefaultReply((req) => ({ content: `you asked ${String(req.body.model)}` }));
    llm.enqueue((req) => ({
      content: `tools: ${(req.body.tools ?? []).map((t) => t.function.name).join()}`,
    }));

    const first = await (
      await ask({ model: 'x', tools: [{ type: 'function', function: { name: 't1' } }] })
    ).json();
    const second = await (await ask({ model: 'y' })).json();

    expect(first).toMatchObject({ choices: [{ message: { content: 'tools: t1' } }] });
    expect(second).toMatchObject({ choices: [{ message: { content: 'you asked y' } }] });
  });

  it('lists the queued models and answers 404 elsewhere; reset empties queue and records', async () => {
    llm.enqueue({ model: 'gpt-4o', content: 'a' }, { content: 'b' });

    expect(await (await fetch(`${llm.url}/models`)).json()).toEqual({
      object: 'list',
      data: [{ id: 'gpt-4o', object: 'model' }],
    });
    expect((await fetch(`${llm.url}/embeddings`, { method: 'POST' })).status).toBe(404);
    llm.reset();
    expect(llm.pending).toBe(0);
    expect(llm.requests).toHaveLength(0);
  });
});
