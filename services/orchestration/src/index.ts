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
export { createApp, type AppDeps } from './app';
export { OPENAPI_INFO } from './routes/openapi';
export { ORCHESTRATION_MIGRATIONS } from './store/migrations';
export type { OrchestrationDatabase, OrchestrationDb, OrchestrationStore } from './store/schema';
export { RUN_STATUSES, type RunStatus, type RunRecord } from './store/runs';
export { createEngine, type Engine, type RunRequest, type RunOptions, type PreparedRun } from './run/engine';
export type { RunOutcome } from './run/driver';
export type { EngineDeps, SkillLibrary, MemoryPort, ApprovalsPort } from './run/deps';
export { startResumeLoop, type ResumeLoop } from './run/resume-loop';
export type { ApprovalDecision } from './run/resume';
export { BudgetExceededError } from './run/state';
export { startOrchestration, appDeps, type OrchestrationParts, type Orchestration } from './wiring';
