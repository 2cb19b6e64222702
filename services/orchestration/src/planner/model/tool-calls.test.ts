import fc from 'fast-check';
import type { ToolSpec } from '../types';
import { checkToolCalls, repairMessages } from './tool-calls';

const offered: ToolSpec[] = [
  { name: 'burn_rate', description: 'd', parameters: { type: 'object' }, mutating: false },
];

describe('checkToolCalls', () => {
  it('accepts a JSON object (an empty string as {}) for an offered tool and names every other problem', () => {
    const checked = checkToolCalls(
      [
        { id: 'a', name: 'burn_rate', arguments: '{"authorization_id":"FA-1"}' },
        { id: 'b', name: 'burn_rate', arguments: '' },
        { id: 'c', name: 'burn_rate', arguments: '"text"' },
        { id: 'd', name: 'burn_rate', arguments: '{oops' },
        { id: 'e', name: 'rm_rf', arguments: '{}' },
        { id: 'f', name: '', arguments: '{}' },
      ],
      offered,
    );
    expect(checked.map((c) => c.call?.arguments ?? c.error)).toEqual([
      { authorization_id: 'FA-1' },
      {},
      expect.stringMatching(/must be a JSON object.*not a string/),
      expect.stringMatching(/not valid JSON/),
      expect.stringMatching(/no tool "rm_rf".*burn_rate/),
      'The tool call has no function name.',
    ]);
  });

  it('makes up an id for a call without one or with a repeated one', () => {
    const [a, b, c] = checkToolCalls(
      [
        { id: 'x', name: 'burn_rate', arguments: '{}' },
        { id: 'x', name: 'burn_rate', arguments: '{}' },
        { id: '', name: 'burn_rate', arguments: '{}' },
      ],
      offered,
    );
    expect(a.id).toBe('x');
    expect(b.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(c.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(b.id).not.toBe(c.id);
  });

  it('never throws, and every call is either usable or explained, whatever the model sends', () => {
    const raw = fc.record({
      id: fc.oneof(fc.constant(''), fc.string()),
      name: fc.oneof(fc.constant('burn_rate'), fc.string()),
      arguments: fc.oneof(fc.string(), fc.json()),
    });
    fc.assert(
      fc.property(fc.array(raw, { maxLength: 5 }), (calls) => {
        const checked = checkToolCalls(calls, offered);
        expect(checked).toHaveLength(calls.length);
        for (const c of checked) expect(Boolean(c.call) !== Boolean(c.error)).toBe(true);
        const repair = repairMessages('', checked);
        expect(repair).toHaveLength(calls.length + 1);
        expect(new Set(checked.map((c) => c.id)).size).toBe(calls.length);
      }),
    );
  });
});
