/** Inputs and answers of the compliance dashboard routes (validation, OpenAPI and types). */
import {
  ALERT_LEVELS,
  enumFilter,
  isoDate,
  listEnvelopeSchema,
  listQuerySchema,
  resourceId,
  type ListOptions,
} from '@aegis/common';
import { z } from 'zod';
import { CARDS } from './domain/summary';
import { BUCKETS, CELL_STATUSES, DOMAINS } from './domain/types';

const int = (min: number, max: number, def: number, what: string) =>
  z.coerce
    .number({ message: 'must be an integer' })
    .int({ message: 'must be an integer' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` })
    .default(def)
    .describe(what);

/** Longest period the summary and the matrix compare (a year). */
export const MAX_PERIOD_DAYS = 365;
/** Longest deadline window of `GET /compliance/deadlines` (a year). */
export const MAX_WINDOW_DAYS = 365;
/** The trend's periods: at most 12 of at most 90 days (the monitor reads at most 60 months). */
export const MAX_TREND_PERIODS = 12;
export const MAX_TREND_PERIOD_DAYS = 90;

const common = {
  as_of: isoDate().optional().describe('The day to evaluate on (default today, UTC).'),
  operator_id: resourceId().optional().describe('Only the wells OPERATED_BY this operator.'),
};
const periodDays = int(
  1,
  MAX_PERIOD_DAYS,
  30,
  'Length of a period in days; the previous period is the same length, ending where this one starts.',
);

export const summaryQuery = z.object({ ...common, period_days: periodDays });

export const trendQuery = z.object({
  ...common,
  period_days: int(1, MAX_TREND_PERIOD_DAYS, 30, 'Length of each period in days.'),
  periods: int(1, MAX_TREND_PERIODS, 6, 'How many periods, the last one ending on as_of.'),
});

export const MATRIX_SORTS = ['entity_id', 'name', 'worst'] as const;
export const matrixList: ListOptions<(typeof MATRIX_SORTS)[number]> = {
  sortable: MATRIX_SORTS,
  defaultSort: 'entity_id',
};
export const matrixQuery = listQuerySchema(matrixList).extend({
  ...common,
  period_days: periodDays,
  status: enumFilter(CELL_STATUSES)
    .optional()
    .describe('Rows with a cell in this status (in `domain` when given).'),
  domain: enumFilter(DOMAINS)
    .optional()
    .describe('With status: that domain’s cell; alone: rows the domain applies to.'),
});

export const DEADLINE_SORTS = ['due_date', 'days_until_due', 'level', 'kind', 'deadline_id'] as const;
export const deadlineList: ListOptions<(typeof DEADLINE_SORTS)[number]> = {
  sortable: DEADLINE_SORTS,
  defaultSort: 'due_date',
};
export const deadlinesQuery = listQuerySchema(deadlineList).extend({
  ...common,
  window_days: int(
    0,
    MAX_WINDOW_DAYS,
    30,
    'Deadlines due within this many days of as_of (overdue ones always).',
  ),
  level: enumFilter(ALERT_LEVELS).optional(),
  bucket: enumFilter(BUCKETS).optional(),
  domain: enumFilter(DOMAINS).optional(),
  entity_id: z.string().min(1).max(200).optional().describe('Only deadlines concerning this well.'),
});

export const entityParams = z.object({ entity_id: z.string().min(1).max(200) });
export const entityQuery = z.object({ as_of: common.as_of, period_days: periodDays });

const period = z.object({ from: z.string(), to: z.string() });

export const cardSchema = z
  .object({
    key: z.enum(CARDS),
    title: z.string(),
    count: z.number().int(),
    previous: z.number().int(),
    delta: z.number().int(),
    subtext: z.string(),
  })
  .meta({ id: 'ComplianceCard' });

export const summaryAnswer = z
  .object({
    as_of: z.string(),
    period_days: z.number().int(),
    period,
    previous_period: period,
    cards: z.array(cardSchema),
  })
  .meta({ id: 'ComplianceSummary' });

const cellSchema = z.object({
  status: z.enum(CELL_STATUSES),
  open_deadlines: z.number().int(),
  next_due: z.string().nullable(),
  anomalies: z.number().int(),
});
const cells = z.object(
  Object.fromEntries(DOMAINS.map((d) => [d, cellSchema])) as Record<
    (typeof DOMAINS)[number],
    typeof cellSchema
  >,
);

export const matrixRowSchema = z
  .object({
    entity_id: z.string(),
    entity_type: z.literal('Well'),
    name: z.string().nullable(),
    well_status: z.string().nullable(),
    cells,
    worst: z.enum(CELL_STATUSES),
  })
  .meta({ id: 'ComplianceMatrixRow' });

export const matrixAnswer = listEnvelopeSchema(matrixRowSchema).extend({
  as_of: z.string(),
  period,
  domains: z.array(z.enum(DOMAINS)),
});

export const deadlineSchema = z
  .object({
    deadline_id: z.string(),
    label: z.string(),
    kind: z.string(),
    title: z.string(),
    due_date: z.string(),
    days_until_due: z.number().int(),
    bucket: z.enum(BUCKETS),
    level: z.enum(ALERT_LEVELS),
    domain: z.enum(DOMAINS).nullable(),
    rule: z.string(),
    status: z.string(),
    well_ids: z.array(z.string()),
    message: z.string(),
  })
  .meta({ id: 'ComplianceDeadlineItem' });

export const deadlinesAnswer = listEnvelopeSchema(deadlineSchema).extend({
  as_of: z.string(),
  window_days: z.number().int(),
});

export const trendAnswer = z
  .object({
    as_of: z.string(),
    period_days: z.number().int(),
    periods: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        overdue: z.number().int(),
        due_7d: z.number().int(),
        due_30d: z.number().int(),
        anomalies: z.number().int(),
        critical: z.number().int(),
        warning: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ComplianceTrend' });

const anomalySchema = z.object({
  code: z.string(),
  level: z.enum(ALERT_LEVELS),
  rule: z.string(),
  well_id: z.string(),
  period: z.string(),
  domain: z.enum(DOMAINS),
  message: z.string(),
});

export const entityAnswer = matrixRowSchema
  .extend({ as_of: z.string(), period, deadlines: z.array(deadlineSchema), alerts: z.array(anomalySchema) })
  .meta({ id: 'ComplianceEntity' });
