/**
 * The parts of the monitors' answers the tools and the answer templates read (the services' OpenAPI
 * documents have the whole shapes: FlaringAssessment, FlaringForecasts, BurnRate, Emissions,
 * R32ValidationResult, DeadlineReport, ProductionReport, RiskReport, ComplianceDashboard).
 */

export interface Alert {
  level: 'critical' | 'warning' | 'info';
  code: string;
  rule: string;
  entity: { label: string; id: string };
  message: string;
}

export interface AuthorizationAssessment {
  authorization_id: string;
  status: string;
  effective_date: string;
  expiry_date: string;
  max_volume_mcf_per_day: number;
  well_ids: string[];
  authorised_days: number;
  authorised_volume_mcf: number;
  cumulative_volume_mcf: number;
  remaining_volume_mcf: number;
  volume_pct: number;
  days_used: number;
  days_remaining: number;
  expired: boolean;
  events: number;
  level: string;
  alerts: Alert[];
}

export interface Assessment {
  as_of: string;
  well_id: string | null;
  level: string;
  authorizations: AuthorizationAssessment[];
  unauthorized: { well_id: string; events: number; volume_mcf: number; level: string; alerts: Alert[] }[];
  oooob: { well_id: string; spud_date: string; events: number; alerts: Alert[] }[];
  alerts: Alert[];
  summary: { critical: number; warning: number; info: number };
}

export interface BurnRate {
  well_id: string | null;
  authorization_id: string | null;
  as_of: string;
  window_days: number;
  window_start: string;
  window_end: string;
  volume_mcf: number;
  burn_rate_mcf_per_day: number;
}

export interface Forecast {
  authorization_id: string;
  as_of: string;
  authorised_volume_mcf: number;
  cumulative_volume_mcf: number;
  remaining_volume_mcf: number;
  burn_rate_mcf_per_day: number;
  window_days: number;
  days_to_exhaustion: number | null;
  exhaustion_date: string | null;
  expiry_date: string;
  duration_limit_date: string;
  binding_limit: 'volume' | 'expiry' | 'duration_180';
  binding_date: string;
  exhausted_before_expiry: boolean;
}

export interface Forecasts {
  as_of: string;
  data: Forecast[];
}

export interface Emissions {
  well_id: string | null;
  composition_source: 'default' | 'analysis';
  note?: string;
  by_disposition: {
    disposition: string;
    disposition_name: string;
    volume_mcf: number;
    combustion_efficiency: number | null;
    gwp: { co2: number; ch4: number; n2o: number; source: string };
  }[];
  total: { volume_mcf: number; co2_t: number; ch4_t: number; n2o_t: number; co2e_t: number };
}

export interface R32Validation {
  valid: boolean;
  filing_date: string;
  errors: number;
  warnings: number;
  issues: { path: string; severity: 'error' | 'warning'; code: string; message: string; rule: string }[];
}

export interface AlertReport {
  as_of: string;
  counts: { critical: number; warning: number; info: number };
  total: number;
  alerts: Alert[];
}

export interface DeadlineReport extends AlertReport {
  window_days: number;
}

export interface ProductionReport extends AlertReport {
  period_from: string;
  period_to: string;
  wells_checked: number;
}

export interface RiskReport {
  as_of: string;
  total: number;
  wells: {
    well_id: string;
    name: string | null;
    score: number;
    rank: number;
    factors: { factor: string; points: number; max: number }[];
  }[];
}

export interface Dashboard {
  operator: { id: string; name: string | null };
  as_of: string;
  wells: number;
  counts: { critical: number; warning: number; info: number };
  deadlines: DeadlineReport;
  production: ProductionReport;
  risk: RiskReport;
}
