/**
 * Filing workspaces: a checklist with its artifacts and the agent's assessment of
 * its items, started by `POST /workspaces/{id}/assess` and followed on `GET /workspaces/{id}/stream`.
 * Self-contained: its own tables (migration ids `workspaces_…`), routes on the service's ServiceApi;
 * items change only through the checklists module.
 */
export { workspaceRoutes, type WorkspaceRouteDeps } from './routes';
export {
  workspaceDeps,
  ASSESSMENT_STALE_AFTER_MS,
  type WorkspaceWiring,
  type WorkspaceRuntime,
} from './wiring';
export {
  WORKSPACES_MIGRATIONS,
  type WorkspacesDatabase,
  type WorkspacesDb,
  type WorkspacesStore,
} from './store';
export { TOOL_CHECKS, type Subject, type Judgement, type ToolCheck } from './checks';
export { OUTCOMES, targetStatus, type Outcome, type ToolEvidence, type ItemEvidence } from './evaluate';
export { ASSESSMENT_STATUSES, assessmentSchema, type AssessmentView } from './views';
export { createAssessmentHub, type AssessmentHub } from './hub';
