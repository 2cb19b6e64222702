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
import { fileSpacingExceptionTool, raiseComplianceAlertTool, submitFilingTool } from './mutating';
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

/** The tools `names` names, as a planner is offered them: JSON schema of the input (as the caller
 * writes it), and whether the tool stops at an approval. An unknown name throws. */
export function toolSpecs(registry: ToolRegistry, names: readonly string[]): ToolSpec[] {
  return names.map((name) => {
    const tool = registry.get(name);
    if (!tool) throw new Error(`Unknown tool ${name}`);
    const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.input, {
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    return { name, description: tool.description, parameters, mutating: tool.mutating !== undefined };
  });
}
