import { z } from 'zod';
import type { ToolSpec } from '../planner/types';
import {
  complianceDashboardTool,
  complianceDeadlinesTool,
  complianceProductionTool,
  complianceRiskTool,
} from './compliance';
import { assembleFilingDraftTool } from './filing';
import {
  flaringAssessTool,
  flaringBurnRateTool,
  flaringEmissionsTool,
  flaringForecastTool,
  r32ValidateTool,
} from './flaring';
import { contextAssembleTool, getEntityTool, graphQueryTool } from './graph';
import {
  attachEmissionsEstimateTool,
  fileSpacingExceptionTool,
  raiseComplianceAlertTool,
  submitFilingTool,
} from './mutating';
import { rule37SpacingTool } from './spacing';
import type { ToolDefinition, ToolRegistry } from './types';

/** Every tool of the platform, in a stable order. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  contextAssembleTool,
  graphQueryTool,
  getEntityTool,
  rule37SpacingTool,
  flaringAssessTool,
  flaringBurnRateTool,
  flaringForecastTool,
  flaringEmissionsTool,
  r32ValidateTool,
  complianceDeadlinesTool,
  complianceProductionTool,
  complianceRiskTool,
  complianceDashboardTool,
  assembleFilingDraftTool,
  submitFilingTool,
  fileSpacingExceptionTool,
  attachEmissionsEstimateTool,
  raiseComplianceAlertTool,
];

/** The names of the tools, for agent definitions to be checked against. */
export const TOOL_NAMES: readonly string[] = ALL_TOOLS.map((t) => t.name);

/** The tool registry: every tool by name (a fresh map; callers may add their own tools to a copy). */
export function buildToolRegistry(tools: readonly ToolDefinition[] = ALL_TOOLS): ToolRegistry {
  const registry = new Map<string, ToolDefinition>();
  for (const t of tools) {
    if (registry.has(t.name)) throw new Error(`Tool ${t.name} is defined twice`);
    registry.set(t.name, t);
  }
  return registry;
}

/** The tools `names` names, as a planner is offered them: the JSON schema of the input as the
 * caller writes it (one self-contained object schema: named parts such as a request schema's id are
 * inlined, since chat-completions tools want `type: object` at the top), and whether the tool stops
 * at an approval. An unknown name throws. */
export function toolSpecs(registry: ToolRegistry, names: readonly string[]): ToolSpec[] {
  return names.map((name) => {
    const tool = registry.get(name);
    if (!tool) throw new Error(`Unknown tool ${name}`);
    let spec = SPECS.get(tool);
    if (!spec) {
      const {
        $schema: _schema,
        $defs,
        ...root
      } = z.toJSONSchema(tool.input, {
        io: 'input',
        unrepresentable: 'any',
      }) as Record<string, unknown>;
      const parameters = inlineRefs(root, ($defs ?? {}) as Record<string, unknown>) as Record<
        string,
        unknown
      >;
      spec = { name, description: tool.description, parameters, mutating: tool.mutating !== undefined };
      SPECS.set(tool, spec);
    }
    return structuredClone(spec);
  });
}

/** Specs are computed once per tool definition (every plan turn asks for them). */
const SPECS = new WeakMap<ToolDefinition, ToolSpec>();

/** Replaces every `{"$ref": "#/$defs/X", ...}` by definition X (the tool inputs are not recursive). */
function inlineRefs(node: unknown, defs: Record<string, unknown>, depth = 0): unknown {
  if (depth > 32) throw new Error('Tool input schema nests too deeply (recursive?)');
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, defs, depth + 1));
  if (!node || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const resolved =
    typeof $ref === 'string' && $ref.startsWith('#/$defs/')
      ? { ...(defs[$ref.slice('#/$defs/'.length)] as Record<string, unknown>), ...rest }
      : typeof $ref === 'string'
        ? { $ref, ...rest }
        : rest;
  return Object.fromEntries(Object.entries(resolved).map(([k, v]) => [k, inlineRefs(v, defs, depth + 1)]));
}
