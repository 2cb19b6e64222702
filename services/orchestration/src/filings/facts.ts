import { UpstreamError } from '@aegis/common';
import {
  type EntityView,
  type GraphCaller,
  type KnowledgeGraphClient,
  type Label,
} from '@aegis/graph-client';
import { z } from 'zod';
import { RULE_37, type Rule37Parameters } from '../rules';
import { UPSTREAMS, upstreamPost, type UpstreamOptions } from '../upstream';
import type { FormType } from './domain';

/** The entity a filing is for (a checklist's `entity_label` / `entity_id`). */
export interface FilingEntity {
  label: 'Well' | 'Lease';
  id: string;
}

/** A Rule 32 authorisation as the flaring monitor assesses it (`POST /flaring/assess`). */
export const authorizationFactsSchema = z.object({
  authorization_id: z.string(),
  status: z.string(),
  effective_date: z.string(),
  expiry_date: z.string(),
  max_volume_mcf_per_day: z.number(),
  authorised_days: z.number(),
  authorised_volume_mcf: z.number(),
  cumulative_volume_mcf: z.number(),
  remaining_volume_mcf: z.number(),
  volume_pct: z.number(),
  days_used: z.number(),
  days_remaining: z.number(),
  well_ids: z.array(z.string()),
});
export type AuthorizationFacts = z.infer<typeof authorizationFactsSchema>;

const assessmentSchema = z.object({
  as_of: z.string(),
  authorizations: z.array(z.looseObject(authorizationFactsSchema.shape)),
  unauthorized: z.array(z.looseObject({ well_id: z.string(), volume_mcf: z.number() })),
});
export type FlaringAssessment = z.infer<typeof assessmentSchema>;

/** What the filing shows about the entity, read from the knowledge graph (and, for R-32, the flaring
 * monitor). Plain JSON: it is stored with the filing as part of the data it was built from. */
export interface EntityFacts {
  entity_label: 'Well' | 'Lease';
  entity_id: string;
  well: {
    api_number: string;
    name: string | null;
    status: string | null;
    county: string | null;
    district: string | null;
    latitude: number | null;
    longitude: number | null;
  } | null;
  lease: {
    lease_id: string;
    lease_number: string | null;
    name: string | null;
    district: string | null;
  } | null;
  operator: { operator_id: string; name: string | null; operator_number: string | null } | null;
  field: { field_id: string; name: string | null; field_number: string | null } | null;
  /** the authorisations covering the entity and its flaring (16 TAC §3.32). */
  flaring?: {
    as_of: string;
    authorizations: AuthorizationFacts[];
    /** The volume the authorisations allow per day (their sum): what the package requests to go on. */
    requested_volume_mcf_per_day: number;
    /** Days of the longest authorisation (at most 180, 16 TAC §3.32). */
    requested_days: number;
    cumulative_volume_mcf: number;
    unauthorized_volume_mcf: number;
  };
  /** W-1: spacing against Rule 37 (16 TAC §3.37): the statewide minimums or the field rule. */
  spacing?: {
    rule: string;
    rule_source: 'field rule' | 'statewide';
    lease_line_min_ft: number;
    between_well_min_ft: number;
    offset_wells: { api_number: string; name: string | null; distance_ft: number }[];
    nearest_offset_ft: number | null;
    exception_required: boolean;
  };
}

/** Reads the facts a filing is built from, as the given caller (the service identity on the tenant). */
export interface FilingFactsSource {
  collect(
    caller: GraphCaller,
    tenant: string,
    entity: FilingEntity,
    formType: FormType,
  ): Promise<EntityFacts>;
}

/** The flaring monitor's assessment of a well (or of every well, when none is named). */
export type FlaringAssessor = (caller: GraphCaller, body: { well_id?: string }) => Promise<FlaringAssessment>;

/** `POST /flaring/assess` of the flaring monitor at `baseUrl` (FLARING_MONITOR_URL). */
export function createFlaringAssessor(options: UpstreamOptions): FlaringAssessor {
  return upstreamPost(
    options,
    UPSTREAMS['flaring-monitor'],
    '/flaring/assess',
    assessmentSchema,
    'assess the flaring',
  );
}

export interface FilingFactsOptions {
  kg: KnowledgeGraphClient;
  flaring: FlaringAssessor;
  /** The tenant's active Rule 37 parameters (the rules library: `ruleParameters.active(t, 'rule_37')`);
   * default: the bundled statewide rule. */
  rule37?: (tenant: string) => Promise<Rule37Parameters>;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** Sums of volumes without floating-point noise (mcf to 0.001). */
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The facts from the knowledge graph (entity, lease, operator, field) and, per form, the flaring
 * monitor or the Rule 37 spacing of the offset wells (W-1). */
export function createFilingFacts(options: FilingFactsOptions): FilingFactsSource {
  const { kg } = options;
  const related = async (caller: GraphCaller, label: 'Well' | 'Lease', id: string, rel: string) => {
    const edge = (await kg.edgesOf(caller, label, id, { direction: 'out', relType: rel }))[0];
    return edge ? kg.getEntity(caller, edge.to_label as Label, edge.to_id) : undefined;
  };
  const leaseWells = async (caller: GraphCaller, leaseId: string) =>
    (await kg.edgesOf(caller, 'Lease', leaseId, { direction: 'in', relType: 'ON_LEASE' }))
      .filter((e) => e.from_label === 'Well')
      .map((e) => e.from_id)
      .sort();

  return {
    async collect(caller, tenant, entity, formType) {
      const self = await kg.getEntity(caller, entity.label, entity.id);
      if (!self)
        throw new UpstreamError(
          `The knowledge graph has no ${entity.label} ${entity.id} any more`,
          'filing_entity_missing',
        );
      const well = entity.label === 'Well' ? self : undefined;
      const lease = entity.label === 'Lease' ? self : await related(caller, 'Well', entity.id, 'ON_LEASE');
      const operator =
        (await related(caller, entity.label, entity.id, 'OPERATED_BY')) ??
        (lease ? await related(caller, 'Lease', lease.entity_id, 'OPERATED_BY') : undefined);
      const field =
        (await related(caller, entity.label, entity.id, 'IN_FIELD')) ??
        (lease ? await related(caller, 'Lease', lease.entity_id, 'IN_FIELD') : undefined);
      const facts: EntityFacts = {
        entity_label: entity.label,
        entity_id: entity.id,
        well: well ? wellFacts(well) : null,
        lease: lease
          ? {
              lease_id: lease.entity_id,
              lease_number: text(lease.properties.lease_number),
              name: text(lease.properties.name),
              district: text(lease.properties.district),
            }
          : null,
        operator: operator
          ? {
              operator_id: operator.entity_id,
              name: text(operator.properties.name),
              operator_number: text(operator.properties.operator_number),
            }
          : null,
        field: field
          ? {
              field_id: field.entity_id,
              name: text(field.properties.name),
              field_number: text(field.properties.field_number),
            }
          : null,
      };
      if (formType === 'R-32') {
        const wells = entity.label === 'Well' ? [entity.id] : await leaseWells(caller, entity.id);
        facts.flaring = flaringFacts(
          await options.flaring(caller, entity.label === 'Well' ? { well_id: entity.id } : {}),
          wells,
        );
      } else {
        const params = options.rule37 ? await options.rule37(tenant) : RULE_37.parameters;
        facts.spacing = await spacingFacts(kg, caller, entity, facts, params);
      }
      return facts;
    },
  };
}

function wellFacts(well: EntityView): NonNullable<EntityFacts['well']> {
  const p = well.properties;
  return {
    api_number: text(p.api_number) ?? well.entity_id,
    name: text(p.name),
    status: text(p.status),
    county: text(p.county),
    district: text(p.district),
    latitude: num(p.latitude),
    longitude: num(p.longitude),
  };
}

/** The authorisations covering any of `wells`, and the flaring of those wells without one. */
export function flaringFacts(
  assessment: FlaringAssessment,
  wells: readonly string[],
): EntityFacts['flaring'] {
  const covers = (ids: readonly string[]) => ids.some((id) => wells.includes(id));
  const authorizations = assessment.authorizations
    .filter((a) => covers(a.well_ids))
    .map((a) => authorizationFactsSchema.parse(a))
    .sort((a, b) => (a.authorization_id < b.authorization_id ? -1 : 1));
  const sum = (values: number[]) => round3(values.reduce((s, v) => s + v, 0));
  return {
    as_of: assessment.as_of,
    authorizations,
    requested_volume_mcf_per_day: sum(authorizations.map((a) => a.max_volume_mcf_per_day)),
    requested_days: Math.max(0, ...authorizations.map((a) => a.authorised_days)),
    cumulative_volume_mcf: sum(authorizations.map((a) => a.cumulative_volume_mcf)),
    unauthorized_volume_mcf: sum(
      assessment.unauthorized.filter((u) => wells.includes(u.well_id)).map((u) => u.volume_mcf),
    ),
  };
}

const offsetRow = z.looseObject({
  entity_id: z.string(),
  properties: z.record(z.string(), z.unknown()).optional(),
  distance_ft: z.number(),
});

/** Offset wells closer than the applicable minimum between wells (16 TAC §3.37: 1,200 ft statewide,
 * or the field rule, which wins when present) need a Rule 37 exception. Read with the graph's
 * `offset_wells` query (great-circle distances). A lease has no single location: no offsets. */
async function spacingFacts(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  entity: FilingEntity,
  facts: EntityFacts,
  params: Rule37Parameters,
): Promise<EntityFacts['spacing']> {
  const fieldRule = params.field_rules.find((f) => f.field_number === facts.field?.field_number);
  const leaseLine = fieldRule?.lease_line_min_ft ?? params.lease_line_min_ft;
  const betweenWells = fieldRule?.between_well_min_ft ?? params.between_well_min_ft;
  const rows =
    entity.label === 'Well'
      ? await kg.query(caller, 'offset_wells', { well_id: entity.id, radius_ft: betweenWells })
      : [];
  const offsets = rows
    .map((r) => offsetRow.parse(r))
    .map((r) => ({
      api_number: r.entity_id,
      name: text(r.properties?.name),
      distance_ft: r.distance_ft,
    }))
    // Compared as the graph measured it: 1,199.99 ft is inside a 1,200 ft minimum.
    .filter((o) => o.distance_ft < betweenWells)
    .sort((a, b) => a.distance_ft - b.distance_ft || (a.api_number < b.api_number ? -1 : 1));
  return {
    rule: '16 TAC §3.37',
    rule_source: fieldRule ? 'field rule' : 'statewide',
    lease_line_min_ft: leaseLine,
    between_well_min_ft: betweenWells,
    offset_wells: offsets,
    nearest_offset_ft: offsets[0]?.distance_ft ?? null,
    exception_required: offsets.length > 0,
  };
}
