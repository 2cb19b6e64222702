import { parse } from 'yaml';
import { Binder } from '../render/binder';
import { resolveValues } from '../values';
import { renderTemplate } from './render';

const helmBinder = () => new Binder('helm', resolveValues({}));

describe('renderTemplate', () => {
  it('renders numbers bare and whole strings quoted', () => {
    const b = helmBinder();
    const text = renderTemplate(
      { spec: { replicas: b.scalar(2, '.Values.replicas.gateway'), name: b.str('x', '.Values.logLevel') } },
      b.placeholders,
    );
    expect(text).toContain('  replicas: {{ .Values.replicas.gateway }}\n');
    expect(text).toContain('  name: {{ .Values.logLevel | quote }}\n');
  });

  it('splices expressions into a double-quoted string and escapes its literal quotes', () => {
    const b = helmBinder();
    const text = renderTemplate({ url: `http://a."q".${b.namespace}.svc:1` }, b.placeholders);
    expect(text).toBe('url: "http://a.\\"q\\".{{ .Release.Namespace }}.svc:1"\n');
  });

  it('puts bare expressions inside multi-line text', () => {
    const b = helmBinder();
    const text = renderTemplate(
      { data: { 'f.yaml': `a: 1\nurl: http://x.${b.namespace}.svc\n` } },
      b.placeholders,
    );
    expect(text).toContain('    url: http://x.{{ .Release.Namespace }}.svc\n');
  });

  it('indents toYaml under its key, in a list item too', () => {
    const b = helmBinder();
    const text = renderTemplate(
      { containers: [{ name: 'c', resources: b.yaml({}, '.Values.resources.gateway') }] },
      b.placeholders,
    );
    expect(text).toContain('    resources:\n{{- toYaml .Values.resources.gateway | nindent 6 }}\n');
  });

  it('renders conditional list items with an else branch, placeholders inside expanded', () => {
    const b = helmBinder();
    const env = [
      { name: 'A', value: '1' },
      ...b.items(
        true,
        '.Values.redis.enabled',
        [{ name: 'R', value: `redis://${b.namespace}` }],
        [{ name: 'R', value: 'ext' }],
      ),
    ];
    const text = renderTemplate({ env }, b.placeholders);
    expect(text).toBe(
      [
        'env:',
        '  - name: A',
        '    value: "1"',
        '{{- if .Values.redis.enabled }}',
        '  - name: R',
        '    value: "redis://{{ .Release.Namespace }}"',
        '{{- else }}',
        '  - name: R',
        '    value: ext',
        '{{- end }}',
        '',
      ].join('\n'),
    );
  });

  it('renders conditional fields with nested placeholders', () => {
    const b = helmBinder();
    const spec = {
      a: 1,
      ...b.fields(false, '.Values.ingress.className', {
        ingressClassName: b.str('', '.Values.ingress.className'),
      }),
    };
    const text = renderTemplate({ spec }, b.placeholders);
    expect(text).toContain(
      '{{- if .Values.ingress.className }}\n  ingressClassName: {{ .Values.ingress.className | quote }}\n{{- end }}\n',
    );
  });

  it('refuses an object placeholder inside a string', () => {
    const b = helmBinder();
    const token = b.yaml({}, '.Values.scheduling.nodeSelector') as unknown as string;
    expect(() => renderTemplate({ a: `x-${token}` }, b.placeholders)).toThrow(/cannot stand inside/);
  });

  it('leaves text without placeholders as plain YAML', () => {
    const b = helmBinder();
    const value = { a: [1, 'two', { three: true }], b: '' };
    expect(parse(renderTemplate(value, b.placeholders))).toEqual(value);
  });
});

describe('Binder in concrete mode', () => {
  it('returns the values themselves and picks branches', () => {
    const b = new Binder('concrete', resolveValues({ namespace: 'ns1' }));
    expect(b.namespace).toBe('ns1');
    expect(b.scalar(3, '.x')).toBe(3);
    expect(b.items(false, '.c', [1], [2])).toEqual([2]);
    expect(b.fields(false, '.c', { a: 1 })).toEqual({});
    expect(b.fields(true, '.c', { a: 1 })).toEqual({ a: 1 });
    const built: number[] = [];
    b.when(false, '.c', () => built.push(1));
    expect(built).toEqual([]);
  });
});
