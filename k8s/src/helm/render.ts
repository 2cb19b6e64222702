import { stringify } from 'yaml';
import { type Placeholder, TOKEN_PATTERN } from '../render/binder';

/**
 * Turns an object synthesised in helm mode (strings carry __HELM_n__ tokens, see Binder) into the
 * text of a Helm template. Pure.
 */

const WHOLE = /^__HELM_(\d+)__$/;
/** YAML 1.1, as Kubernetes and Helm read it: strings such as "no" and "on" stay quoted. */
const YAML_OPTIONS = { lineWidth: 0, version: '1.1' } as const;

/** A double-quoted YAML scalar whose template expressions are spliced in. */
function quotedComposite(text: string, placeholders: readonly Placeholder[]): string {
  let out = '"';
  let last = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const literal = text.slice(last, match.index);
    out += literal.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    out += `{{ ${exprOf(placeholders, Number(match[1]), 'string')} }}`;
    last = match.index + match[0].length;
  }
  return `${out}${text.slice(last).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function exprOf(placeholders: readonly Placeholder[], id: number, expected: 'string' | 'inline'): string {
  const p = placeholders[id];
  if (!p) throw new Error(`unknown placeholder ${id}`);
  if (p.kind !== 'string' && p.kind !== 'scalar') {
    throw new Error(`placeholder ${id} (${p.kind}) cannot stand inside a ${expected}`);
  }
  return p.expr;
}

/** Composite single-line strings become fresh placeholders rendered as quoted composites. */
function prepare(value: unknown, placeholders: Placeholder[], raw: Map<number, string>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('__HELM_') || WHOLE.test(value) || value.includes('\n')) return value;
    placeholders.push({ kind: 'string', expr: '' });
    const id = placeholders.length - 1;
    raw.set(id, quotedComposite(value, placeholders));
    return `__HELM_${id}__`;
  }
  if (Array.isArray(value)) return value.map((v) => prepare(v, placeholders, raw));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, prepare(v, placeholders, raw)]),
    );
  }
  return value;
}

const indentLines = (text: string, indent: string): string =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');

/** Renders `value` as template text; every placeholder is expanded, nested ones included. */
export function renderTemplate(value: unknown, placeholders: readonly Placeholder[]): string {
  const table: Placeholder[] = [...placeholders];
  const raw = new Map<number, string>();
  const yamlOf = (v: unknown): string => stringify(prepare(v, table, raw), YAML_OPTIONS);

  let lines = yamlOf(value).replace(/\n$/, '').split('\n');
  for (let pass = 0; lines.some((l) => l.includes('__HELM_')); pass++) {
    if (pass > 50) throw new Error('placeholders nest too deeply');
    const next: string[] = [];
    for (const line of lines) {
      const field = /^(\s*)__HELM_(\d+)__: ""$/.exec(line);
      const whole = /^(\s*)(- )?([^\s"'#][^:]*: )?__HELM_(\d+)__$/.exec(line);
      if (field) {
        const [, indent = '', id] = field;
        const p = table[Number(id)];
        if (p?.kind !== 'fields')
          throw new Error(`placeholder ${id} used as a key is not a fields placeholder`);
        next.push(`{{- if ${p.cond} }}`, indentLines(yamlOf(p.fields), indent), '{{- end }}');
      } else if (whole) {
        const [, indent = '', dash = '', key = '', id] = whole;
        const p = table[Number(id)];
        if (!p) throw new Error(`unknown placeholder ${id}`);
        const head = `${indent}${dash}${key}`;
        if (raw.has(Number(id))) next.push(`${head}${raw.get(Number(id))}`);
        else if (p.kind === 'scalar') next.push(`${head}{{ ${p.expr} }}`);
        else if (p.kind === 'string') next.push(`${head}{{ ${p.expr} | quote }}`);
        else if (p.kind === 'yaml') {
          if (!key) throw new Error(`yaml placeholder ${id} must be the value of a key`);
          const column = indent.length + dash.length + 2;
          next.push(`${head.trimEnd()}`, `{{- toYaml ${p.expr} | nindent ${column} }}`);
        } else if (p.kind === 'items') {
          if (!dash || key) throw new Error(`items placeholder ${id} must be a list item`);
          next.push(`{{- if ${p.cond} }}`, indentLines(yamlOf(p.then), indent));
          if (p.otherwise.length > 0) next.push('{{- else }}', indentLines(yamlOf(p.otherwise), indent));
          next.push('{{- end }}');
        } else throw new Error(`fields placeholder ${id} must be a key`);
      } else {
        // Inside text (a block scalar): the bare expression.
        next.push(
          line.replace(TOKEN_PATTERN, (_, id: string) => `{{ ${exprOf(table, Number(id), 'inline')} }}`),
        );
      }
    }
    lines = next.join('\n').split('\n');
  }
  return `${lines.join('\n')}\n`;
}
