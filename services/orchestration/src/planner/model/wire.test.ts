import { z } from 'zod';
import { NOT_RUN_CONTENT, toWireMessages, toWireTools } from './wire';

describe('toWireMessages', () => {
  it('serialises tool call arguments and identifies tool messages by call id', () => {
    expect(
      toWireMessages([
        { role: 'system', content: 's' },
        { role: 'user', content: 'u' },
        { role: 'assistant', content: 'a' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 't', arguments: { n: 1 } }] },
        { role: 'tool', tool_call_id: 'c1', name: 't', content: '{"ok":true}' },
      ]),
    ).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
      { role: 'assistant', content: 'a' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{"n":1}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{"ok":true}' },
    ]);
  });
});

describe('toWireMessages keeps the call / result sequence the API accepts', () => {
  const call = (id: string) => ({ id, name: 'submit_filing', arguments: {} });

  it('answers a call without a result (waiting at an approval gate) with not_run', () => {
    const wire = toWireMessages([
      { role: 'user', content: 'file it' },
      { role: 'assistant', content: null, tool_calls: [call('a'), call('b')] },
      { role: 'tool', tool_call_id: 'a', name: 'submit_filing', content: '"ok"' },
    ]);
    expect(wire.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'a', content: '"ok"' },
      { role: 'tool', tool_call_id: 'b', content: NOT_RUN_CONTENT },
    ]);
  });

  it('moves a result recorded later (after the approval) right after its call', () => {
    const wire = toWireMessages([
      { role: 'assistant', content: null, tool_calls: [call('a')] },
      { role: 'user', content: 'approved' },
      { role: 'tool', tool_call_id: 'a', name: 'submit_filing', content: '{"filed":true}' },
    ]);
    expect(wire.map((m) => m.role)).toEqual(['assistant', 'tool', 'user']);
    expect(wire[1]).toEqual({ role: 'tool', tool_call_id: 'a', content: '{"filed":true}' });
  });

  it('turns a result of no call into a user note and answers a repeated call id once', () => {
    const wire = toWireMessages([
      { role: 'tool', tool_call_id: 'ghost', name: 'burn_rate', content: '{"rate":3}' },
      { role: 'assistant', content: null, tool_calls: [call('a')] },
      { role: 'tool', tool_call_id: 'a', name: 'submit_filing', content: '1' },
      { role: 'assistant', content: null, tool_calls: [call('a')] },
      { role: 'assistant', content: 'Done.', tool_calls: [call('a')] },
    ]);
    expect(wire).toEqual([
      { role: 'user', content: '[Result of the tool burn_rate]\n{"rate":3}' },
      expect.objectContaining({ role: 'assistant', tool_calls: [expect.objectContaining({ id: 'a' })] }),
      { role: 'tool', tool_call_id: 'a', content: '1' },
      { role: 'assistant', content: 'Done.' },
    ]);
  });
});

describe('toWireTools', () => {
  it('offers a zod-made JSON schema as function parameters, without its $schema keyword', () => {
    const parameters = z.toJSONSchema(z.object({ well_api: z.string() })) as Record<string, unknown>;
    expect(parameters.$schema).toBeDefined();

    const [tool] = toWireTools([{ name: 't', description: 'd', parameters, mutating: false }]);

    expect(tool).toEqual({
      type: 'function',
      function: {
        name: 't',
        description: 'd',
        parameters: {
          type: 'object',
          properties: { well_api: { type: 'string' } },
          required: ['well_api'],
          additionalProperties: false,
        },
      },
    });
  });
});
