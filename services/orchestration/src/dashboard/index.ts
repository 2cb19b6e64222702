/** The orchestration's compliance dashboard (spec §8): a storeless module computed from the knowledge
 * graph and the compliance monitor's figures; the lead wires `dashboardRoutes` into the service. */
export { dashboardRoutes, type DashboardRouteDeps } from './routes';
export { NOTHING_IN_REVIEW, type DashboardDeps, type InReviewSource } from './figures';
export { createComplianceFigures, type ComplianceFigures } from './monitor-client';
export { CELL_STATUSES, DOMAINS, type CellStatus, type Domain, type InReview } from './domain/types';
