import type {
  dashboardAnswer,
  deadlinesAnswer,
  productionAnswer,
  riskAnswer,
} from '@aegis/compliance-monitor';
import type {
  assessmentSchema,
  burnRateSchema,
  emissionsSchema,
  forecastListSchema,
  r32ResultSchema,
} from '@aegis/flaring-monitor';
import type { z } from 'zod';

/** The monitors' answers as the tools return them: the services' own response schemas (one copy). */
export type Assessment = z.output<typeof assessmentSchema>;
export type AuthorizationAssessment = Assessment['authorizations'][number];
export type Alert = Assessment['alerts'][number];
export type BurnRate = z.output<typeof burnRateSchema>;
export type Forecasts = z.output<typeof forecastListSchema>;
export type Forecast = Forecasts['data'][number];
export type Emissions = z.output<typeof emissionsSchema>;
export type R32Validation = z.output<typeof r32ResultSchema>;
export type DeadlineReport = z.output<typeof deadlinesAnswer>;
export type ProductionReport = z.output<typeof productionAnswer>;
export type RiskReport = z.output<typeof riskAnswer>;
export type Dashboard = z.output<typeof dashboardAnswer>;
