export { createPlatformClients, type PlatformClientOptions } from './clients';
export { ALL_TOOLS, TOOL_NAMES, buildToolRegistry, toolSpecs } from './registry';
export { defineTool, wellId } from './define';
export type * from './answers';
export type { WellContext, Entity } from './graph';
export type { SpacingReport } from './spacing';
export type { W1DraftResult, R32DraftResult } from './filing';
export type {
  ToolDefinition,
  ToolContext,
  ToolRegistry,
  ToolRules,
  PlatformClients,
  ApprovalRequest,
} from './types';
export { activeRuleOf, type RuleVersionCited } from './rules';
