import type { ValidationIssue } from '@aegis/common';

/** What the agent intends to do at the checkpoint: a tool call (spec: "a tool that changes records or
 * submits a filing stops the run at an approval checkpoint"). */
export interface ProposedAction {
  tool_name: string;
  description?: string;
  arguments: Record<string, unknown>;
}

/** A reviewer's change to the proposed action: new values for some of its arguments. */
export interface Modifications {
  arguments: Record<string, unknown>;
}

type JsonKind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonKind;
}

/**
 * Checks a modification against the proposed action: a reviewer may change the values of the action's
 * arguments, never add an argument the tool was not called with, and a value keeps its JSON kind
 * (a number stays a number, an object an object), so the tool still receives a call of the shape it
 * asked for. Returns the issues (empty when valid), located under `body.modifications`.
 */
export function modificationIssues(action: ProposedAction, mods: Modifications): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(mods.arguments)) {
    const loc = ['body', 'modifications', 'arguments', key];
    if (!Object.prototype.hasOwnProperty.call(action.arguments, key)) {
      issues.push({
        loc,
        msg: `is not an argument of the proposed action ${action.tool_name}`,
        type: 'value_error',
      });
      continue;
    }
    const expected = kindOf(action.arguments[key]);
    if (expected !== 'null' && kindOf(value) !== expected) {
      issues.push({ loc, msg: `must be a ${expected}, as in the proposed action`, type: 'type_error' });
    }
  }
  return issues;
}

/** The action as it will run: the proposed one with the modified arguments replaced (in order). */
export function applyModifications(action: ProposedAction, mods: readonly Modifications[]): ProposedAction {
  return mods.reduce<ProposedAction>(
    (acc, m) => ({ ...acc, arguments: { ...acc.arguments, ...m.arguments } }),
    action,
  );
}
