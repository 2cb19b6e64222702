import type { Values } from '../values';

/**
 * How the charts read the values. In `concrete` mode every accessor returns the value itself: this is
 * the plain-manifest synthesis. In `helm` mode it returns a placeholder token that the Helm generator
 * turns into a Go template expression, so the same chart code emits the Helm chart's templates and
 * no second copy of the manifests exists. Each accessor takes the concrete value and the template
 * expression that computes the same thing from `.Values` (the e2e suite checks that the two agree).
 */
export type RenderMode = 'concrete' | 'helm';

/** What a token stands for in the generated template. */
export type Placeholder =
  | { kind: 'scalar'; expr: string } // a number or boolean: {{ expr }}
  | { kind: 'string'; expr: string } // a string: {{ expr | quote }} as a whole, {{ expr }} inside text
  | { kind: 'yaml'; expr: string } // an object or list: toYaml, indented under its key
  | { kind: 'items'; cond: string; then: unknown[]; otherwise: unknown[] } // list items under if/else
  | { kind: 'fields'; cond: string; fields: Record<string, unknown> }; // object fields under if

export const TOKEN_PATTERN = /__HELM_(\d+)__/g;
const tokenOf = (id: number): string => `__HELM_${id}__`;

export class Binder {
  readonly placeholders: Placeholder[] = [];
  private readonly conditions: string[] = [];

  constructor(
    readonly mode: RenderMode,
    readonly values: Values,
  ) {}

  get helm(): boolean {
    return this.mode === 'helm';
  }

  private token(p: Placeholder): string {
    this.placeholders.push(p);
    return tokenOf(this.placeholders.length - 1);
  }

  /** The namespace: the values' namespace, or the Helm release namespace. */
  get namespace(): string {
    return this.helm ? this.token({ kind: 'string', expr: '.Release.Namespace' }) : this.values.namespace;
  }

  /** A string value, or a piece of a larger string. */
  str(concrete: string, expr: string): string {
    return this.helm ? this.token({ kind: 'string', expr }) : concrete;
  }

  /** A number or boolean. */
  scalar<T extends number | boolean>(concrete: T, expr: string): T {
    return (this.helm ? this.token({ kind: 'scalar', expr }) : concrete) as T;
  }

  /** An object or list copied from the values as it is. */
  yaml<T>(concrete: T, expr: string): T {
    return (this.helm ? this.token({ kind: 'yaml', expr }) : concrete) as T;
  }

  /** List items that depend on a condition (`otherwise` when it is false). Spread into the list. */
  items<T>(cond: boolean, condExpr: string, then: T[], otherwise: T[] = []): T[] {
    if (!this.helm) return cond ? then : otherwise;
    return [this.token({ kind: 'items', cond: condExpr, then, otherwise }) as unknown as T];
  }

  /** Object fields present only under a condition. Spread into the object. */
  fields<T extends Record<string, unknown>>(cond: boolean, condExpr: string, fields: T): Partial<T> {
    if (!this.helm) return cond ? fields : {};
    return { [this.token({ kind: 'fields', cond: condExpr, fields })]: '' } as Partial<T>;
  }

  /**
   * Objects created by `build` exist only under a condition: skipped in concrete mode when false; in
   * helm mode built anyway and wrapped in `{{- if cond }}` (see conditionAt).
   */
  when(cond: boolean, condExpr: string, build: () => void): void {
    if (!this.helm) {
      if (cond) build();
      return;
    }
    this.conditions.push(condExpr);
    try {
      build();
    } finally {
      this.conditions.pop();
    }
  }

  /** The condition in force while an object is created (helm mode), joined with `and`. */
  currentCondition(): string | undefined {
    if (this.conditions.length === 0) return undefined;
    if (this.conditions.length === 1) return this.conditions[0];
    return `and ${this.conditions.map((c) => `(${c})`).join(' ')}`;
  }
}
