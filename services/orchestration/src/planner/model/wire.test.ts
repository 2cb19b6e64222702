import { z } from 'zod';
import { toWireMessages, toWireTools } from './wire';

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
