import {
  alertDraftSchema as commonAlertDraftSchema,
  API_NUMBER_PATTERN,
  isoDate,
  isoDateTime,
  resourceId,
} from '@aegis/common';
import { z } from 'zod';
import { DISPOSITION_CODES } from '../domain/dispositions';
import { COMPONENTS, type Component } from '../domain/emission-factors';
import { FLARE_EVENT_SOURCES, FLARE_EVENT_STATUSES } from '../store/flare-events';

/** Request and response schemas of the flaring routes: validation, types and the OpenAPI document. */

export const disposition = z
  .enum(DISPOSITION_CODES, { message: 'must be a disposition code: 10 (flared) or 11 (vented)' })
  .meta({ description: 'Disposition code: `10` flared, `11` vented.' });
export const volumeMcf = z
  .number({ message: 'must be a number' })
  .min(0, { message: 'must not be negative' })
  .max(1e9, { message: 'must be at most 1e9 mcf' })
  .meta({ description: 'Thousand standard cubic feet (mcf).' });
export const wellIdInput = z.string().min(1).max(40).meta({
  description:
    'The well: its Texas API number (14 digits, dashes allowed; 10 or 12 digits are padded; state code 42, an odd county code 001–507, a well number other than 00000).',
  pattern: API_NUMBER_PATTERN,
});
export const authorizationIdInput = resourceId().meta({
  description: 'A FlaringAuthorization entity id of the knowledge graph.',
});
export const status = z.enum(FLARE_EVENT_STATUSES, {
  message: `must be one of: ${FLARE_EVENT_STATUSES.join(', ')}`,
});
export const source = z.enum(FLARE_EVENT_SOURCES, {
  message: `must be one of: ${FLARE_EVENT_SOURCES.join(', ')}`,
});
export const readingId = z.string().min(1).max(200);
const cause = z.string().max(2000);

/** A gas analysis: mole fractions 0–1 of the components (missing components count as 0). */
export const gasComposition = z
  .strictObject(
    Object.fromEntries(
      (Object.keys(COMPONENTS) as Component[]).map((k) => [k, z.number().min(0).max(1).optional()]),
    ) as Record<Component, z.ZodOptional<z.ZodNumber>>,
  )
  .meta({ id: 'GasComposition', description: 'Mole fractions (0–1) summing to 1 ± 0.01.' });

/** The fields a client sets on a flare event (create, patch, and each reading of an ingest batch). */
const flareEventFields = z.strictObject({
  well_id: wellIdInput,
  authorization_id: authorizationIdInput.nullable().optional(),
  start_time: isoDateTime(),
  end_time: isoDateTime(),
  volume_mcf: volumeMcf,
  disposition: disposition.default('10'),
  cause: cause.nullable().optional(),
});

/** POST /flare-events. */
export const flareEventInput = flareEventFields
  .extend({
    status: status.default('open'),
    source: source.default('manual'),
    source_reading_id: readingId.nullable().optional(),
  })
  .meta({ id: 'FlareEventInput' });
export type FlareEventInput = z.output<typeof flareEventInput>;

/** PATCH /flare-events/{id}: any of the fields, no defaults. */
export const flareEventPatch = flareEventFields
  .extend({ disposition, status })
  .partial()
  .meta({ id: 'FlareEventPatch' });
export type FlareEventPatch = z.output<typeof flareEventPatch>;

export const correlationSchema = z.object({
  kind: z.enum(['flare_event', 'event', 'entity']),
  id: z.string(),
  label: z.string().optional(),
  note: z.string().optional(),
  correlated_by: z.string(),
  correlated_at: z.string(),
});

export const flareEventSchema = z
  .object({
    event_id: z.string(),
    well_id: z.string(),
    authorization_id: z.string().nullable(),
    start_time: z.string(),
    end_time: z.string(),
    volume_mcf: z.number(),
    disposition: z.enum(DISPOSITION_CODES),
    cause: z.string().nullable(),
    status: z.enum(FLARE_EVENT_STATUSES),
    source: z.enum(FLARE_EVENT_SOURCES),
    source_reading_id: z.string().nullable(),
    correlated: z.array(correlationSchema),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'FlareEvent' });

export const correlateInput = z
  .strictObject({
    targets: z
      .array(
        z.strictObject({
          kind: z.enum(['flare_event', 'event', 'entity']),
          id: resourceId(),
          label: z.string().min(1).max(64).optional(),
        }),
      )
      .min(1)
      .max(100),
    note: z.string().max(2000).optional(),
  })
  .meta({ id: 'CorrelateInput' });

export const eventIdParam = z.object({
  id: z.string().regex(/^fe-[0-9a-f-]{36}$/, { message: 'must be a flare event id (fe-<uuid>)' }),
});

/** The shared alert shape (@aegis/common), named in this service's OpenAPI document. */
export const alertDraftSchema = commonAlertDraftSchema.meta({ id: 'FlaringAlert' });

const level = z.enum(['critical', 'warning', 'info', 'ok']);

export const authorizationAssessmentSchema = z
  .object({
    authorization_id: z.string(),
    status: z.string(),
    effective_date: z.string(),
    expiry_date: z.string(),
    max_volume_mcf_per_day: z.number(),
    well_ids: z.array(z.string()),
    authorised_days: z.number(),
    authorised_volume_mcf: z.number(),
    cumulative_volume_mcf: z.number(),
    remaining_volume_mcf: z.number(),
    volume_pct: z.number(),
    days_used: z.number(),
    days_remaining: z.number(),
    expired: z.boolean(),
    events: z.number().int(),
    level,
    alerts: z.array(alertDraftSchema),
  })
  .meta({ id: 'AuthorizationAssessment' });

export const assessInput = z
  .strictObject({
    well_id: wellIdInput.optional(),
    authorization_id: authorizationIdInput.optional(),
    as_of: isoDate().optional(),
  })
  .optional()
  .meta({ id: 'AssessInput' });

export const assessmentSchema = z
  .object({
    as_of: z.string(),
    well_id: z.string().nullable(),
    level,
    authorizations: z.array(authorizationAssessmentSchema),
    unauthorized: z.array(
      z.object({
        well_id: z.string(),
        events: z.number().int(),
        volume_mcf: z.number(),
        level,
        alerts: z.array(alertDraftSchema),
      }),
    ),
    oooob: z.array(
      z.object({
        well_id: z.string(),
        spud_date: z.string(),
        events: z.number().int(),
        alerts: z.array(alertDraftSchema),
      }),
    ),
    alerts: z.array(alertDraftSchema),
    summary: z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  })
  .meta({ id: 'FlaringAssessment' });

export const emissionsInput = z
  .strictObject({
    volume_mcf: volumeMcf.optional(),
    disposition: disposition.optional(),
    well_id: wellIdInput.optional(),
    from: isoDateTime().optional(),
    to: isoDateTime().optional(),
    gas_composition: gasComposition.optional(),
    combustion_efficiency: z.number().min(0).max(1).optional(),
  })
  .meta({ id: 'EmissionsInput' });

const emissionsFigures = z.object({
  volume_mcf: z.number(),
  disposition: z.enum(DISPOSITION_CODES),
  disposition_name: z.string(),
  combustion_efficiency: z.number().nullable(),
  composition: z.record(z.string(), z.number()),
  composition_source: z.enum(['default', 'analysis']),
  note: z.string().optional(),
  gwp: z.object({ co2: z.number(), ch4: z.number(), n2o: z.number(), source: z.string() }),
  co2_t: z.number(),
  ch4_t: z.number(),
  n2o_t: z.number(),
  co2e_t: z.number(),
  basis: z.record(z.string(), z.number()),
});
export const emissionsSchema = z
  .object({
    well_id: z.string().nullable(),
    composition_source: z.enum(['default', 'analysis']),
    note: z.string().optional(),
    by_disposition: z.array(emissionsFigures),
    total: z.object({
      volume_mcf: z.number(),
      co2_t: z.number(),
      ch4_t: z.number(),
      n2o_t: z.number(),
      co2e_t: z.number(),
    }),
  })
  .meta({ id: 'Emissions' });

export const burnRateQuery = z.object({
  well_id: wellIdInput.optional(),
  authorization_id: authorizationIdInput.optional(),
  window_days: z.coerce.number().int().min(1).max(180).default(7),
  as_of: isoDate().optional(),
});
export const burnRateSchema = z
  .object({
    well_id: z.string().nullable(),
    authorization_id: z.string().nullable(),
    as_of: z.string(),
    window_days: z.number().int(),
    window_start: z.string(),
    window_end: z.string(),
    volume_mcf: z.number(),
    burn_rate_mcf_per_day: z.number(),
  })
  .meta({ id: 'BurnRate' });

export const forecastInput = z
  .strictObject({
    authorization_id: authorizationIdInput.optional(),
    well_id: wellIdInput.optional(),
    window_days: z.number().int().min(1).max(180).default(7),
    as_of: isoDate().optional(),
  })
  .meta({ id: 'ForecastInput' });
export const forecastSchema = z
  .object({
    authorization_id: z.string(),
    as_of: z.string(),
    authorised_volume_mcf: z.number(),
    cumulative_volume_mcf: z.number(),
    remaining_volume_mcf: z.number(),
    burn_rate_mcf_per_day: z.number(),
    window_days: z.number().int(),
    days_to_exhaustion: z.number().nullable(),
    exhaustion_date: z.string().nullable(),
    expiry_date: z.string(),
    duration_limit_date: z.string(),
    binding_limit: z.enum(['volume', 'expiry', 'duration_180']),
    binding_date: z.string(),
    exhausted_before_expiry: z.boolean(),
  })
  .meta({ id: 'FlaringForecast' });
export const forecastListSchema = z
  .object({ as_of: z.string(), data: z.array(forecastSchema) })
  .meta({ id: 'FlaringForecasts' });

export const r32Input = z
  .strictObject({
    operator_number: z.string().max(100).optional(),
    operator_name: z.string().max(200).optional(),
    lease_number: z.string().max(200).optional(),
    district: z.string().max(20).optional(),
    well_ids: z.array(z.string().max(100)).max(500).optional(),
    requested_volume_mcf_per_day: z.number().optional(),
    start_date: isoDate().optional(),
    end_date: isoDate().optional(),
    renewal: z.boolean().optional(),
    justification: z.string().max(10_000).optional(),
    reason: z.string().max(10_000).optional(),
    gathering_plan: z
      .strictObject({ description: z.string().max(10_000).optional(), connection_date: isoDate().optional() })
      .optional(),
    emissions_estimate_requested: z.boolean().optional(),
    gas_analysis: gasComposition.optional(),
    filing_date: isoDate().optional(),
  })
  .meta({ id: 'R32Application' });
export const r32ResultSchema = z
  .object({
    valid: z.boolean(),
    filing_date: z.string(),
    errors: z.number().int(),
    warnings: z.number().int(),
    issues: z.array(
      z.object({
        path: z.string(),
        severity: z.enum(['error', 'warning']),
        code: z.string(),
        message: z.string(),
        rule: z.string(),
      }),
    ),
  })
  .meta({ id: 'R32ValidationResult' });

export const ingestInput = z
  .strictObject({
    readings: z
      .array(
        flareEventFields.extend({
          reading_id: readingId,
          source: z.enum(['scada', 'csv']).default('scada'),
        }),
      )
      .min(1)
      .max(1000),
  })
  .meta({ id: 'FlareReadings' });
export const ingestResultSchema = z
  .object({
    received: z.number().int(),
    created: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    results: z.array(
      z.object({
        reading_id: z.string(),
        status: z.enum(['created', 'unchanged', 'rejected']),
        event_id: z.string().optional(),
        error: z.object({ code: z.string(), message: z.string(), field: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'FlareIngestResult' });
