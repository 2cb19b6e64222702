export { loadConfig, SERVICE_NAME, type Config } from './config';
export type { AgentDefinition, Skill, SkillManifest, Budget } from './agents/types';
export type {
  ToolDefinition,
  ToolContext,
  ToolRegistry,
  PlatformClients,
  ApprovalRequest,
} from './tools/types';
export type * from './planner/types';
export type { RunEvent, RunEventType } from './run/events';
