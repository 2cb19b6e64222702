import { R32_FLARING_EXCEPTION } from './r32-flaring-exception';
import { templateSchema, type ChecklistTemplate } from './schema';
import { W1_RULE37_EXCEPTION } from './w1-rule37-exception';

/** The checklist templates, every version, validated once at start-up. */
export interface TemplateCatalog {
  /** Every version of every template, by id then version. */
  list(): readonly ChecklistTemplate[];
  /** One version, or the newest when `version` is omitted; undefined when there is none. */
  get(templateId: string, version?: number): ChecklistTemplate | undefined;
}

export const BUNDLED_TEMPLATES: readonly unknown[] = [R32_FLARING_EXCEPTION, W1_RULE37_EXCEPTION];

export interface LoadTemplatesOptions {
  /** Templates to load instead of the bundled ones (tests, a deployment's own). */
  templates?: readonly unknown[];
  /** The tool registry's names (`TOOL_NAMES` of ../tools): an item naming another tool is refused. */
  toolNames?: readonly string[];
}

/**
 * Validates the templates and returns the catalog. A bad template throws naming it and the field, so
 * the service stops before it listens: an item's type or tool that is not known, a version given
 * twice, a label given twice in one template.
 */
export function loadChecklistTemplates(options: LoadTemplatesOptions = {}): TemplateCatalog {
  const tools = options.toolNames ? new Set(options.toolNames) : undefined;
  const all: ChecklistTemplate[] = [];
  (options.templates ?? BUNDLED_TEMPLATES).forEach((raw, n) => {
    const name = nameOf(raw, n);
    const parsed = templateSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Checklist template ${name}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
    }
    const t = parsed.data;
    t.items.forEach((item, i) => {
      if (tools && item.tool_name !== null && !tools.has(item.tool_name))
        throw new Error(
          `Checklist template ${name}: items.${i}.tool_name names an unknown tool ${item.tool_name}`,
        );
    });
    if (all.some((o) => o.template_id === t.template_id && o.version === t.version))
      throw new Error(`Checklist template ${name}: version ${t.version} is given twice`);
    all.push(t);
  });
  all.sort((a, b) =>
    a.template_id === b.template_id ? a.version - b.version : a.template_id < b.template_id ? -1 : 1,
  );
  const frozen = Object.freeze(all.map((t) => Object.freeze(t)));
  return {
    list: () => frozen,
    get: (id, version) => {
      const versions = frozen.filter((t) => t.template_id === id);
      return version === undefined ? versions.at(-1) : versions.find((t) => t.version === version);
    },
  };
}

function nameOf(raw: unknown, n: number): string {
  const r = raw as { template_id?: unknown; version?: unknown } | null;
  const id = typeof r?.template_id === 'string' ? r.template_id : `#${n}`;
  return typeof r?.version === 'number' ? `${id}@${r.version}` : id;
}
