/**
 * Filing packages: produced when a checklist's approval is granted, with the data
 * they were built from and a rendered PDF; a lifecycle whose changes go to the approvals audit trail.
 * Self-contained: its own tables (migration ids `filings_…`), routes on the service's ServiceApi.
 */
export { filingsRoutes, type FilingRouteDeps } from './routes';
export { FILINGS_MIGRATIONS } from './store/migrations';
export type {
  FilingsDatabase,
  FilingsDb,
  FilingsStore,
  FilingsTable,
  FilingEventsTable,
} from './store/schema';
export { FILING_SORTABLE, type FilingFilters, type FilingSortColumn } from './store/filings';
export {
  FORM_TYPES,
  FILING_STATUSES,
  FILING_TRANSITIONS,
  filingTransitionRefusal,
  type FilingStatus,
  type FormType,
} from './domain';
export {
  produceFiling,
  onFilingApprovalDecided,
  readFiling,
  newFilingId,
  type FilingDeps,
  type GrantedApproval,
} from './produce';
export { transitionFiling, type TransitionInput } from './transition';
export { flushFilingAudit, type FilingAuditDeps } from './audit';
export {
  createFilingFacts,
  createFlaringAssessor,
  flaringFacts,
  type EntityFacts,
  type FilingEntity,
  type FilingFactsOptions,
  type FilingFactsSource,
  type FlaringAssessment,
  type FlaringAssessor,
  type AuthorizationFacts,
} from './facts';
export { renderFilingPdf } from './document/render';
export { sourceDigest, type FilingSource, type EvidenceSource } from './source';
export type { FilingView, FilingSummaryView, FilingEventView } from './views';
export { filingView as filingSchema, filingSummary as filingSummarySchema } from './schemas';
export { filingDeps, type FilingWiring } from './wiring';
export { onDecisionEvent, tenantsAwaitingDecisions, type DecisionEvent } from './decisions';
