import { ValidationError } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import { burnRate, forecast, type Forecast } from '../domain/burn-rate';
import { addDays, todayOf } from '../domain/days';
import { DISPOSITION_CODES } from '../domain/dispositions';
import type { GasComposition } from '../domain/emission-factors';
import {
  COMPOSITION_TOLERANCE,
  compositionSum,
  estimateEmissions,
  type Emissions,
} from '../domain/emissions';
import { flareVolumes } from '../store/flare-events';
import { authorizationsOfWell, normaliseWellId, requireAuthorization, requireWell } from './assets';
import type { FlaringDeps } from './deps';
import { utc } from './flare-events';

export interface EmissionsRequest {
  volume_mcf?: number;
  disposition?: '10' | '11';
  well_id?: string;
  from?: string;
  to?: string;
  gas_composition?: Partial<GasComposition>;
  combustion_efficiency?: number;
}

/** Tonnes to the gram (N2O of small volumes is a fraction of a kilogram). */
const round = (n: number) => Math.round(n * 1e9) / 1e9;

/**
 * Emissions of a volume (`volume_mcf` + `disposition`), or of a well's stored flare events between
 * `from` and `to` (flared and vented summed separately). A composition whose mole fractions do not
 * sum to 1 ± 0.01 is a 422 naming `gas_composition`.
 */
export async function emissions(
  deps: FlaringDeps,
  caller: GraphCaller,
  tenant: string,
  req: EmissionsRequest,
) {
  if (req.gas_composition) {
    const sum = compositionSum(req.gas_composition);
    if (Math.abs(sum - 1) > COMPOSITION_TOLERANCE)
      throw ValidationError.single(
        ['body', 'gas_composition'],
        `mole fractions must sum to 1 (±${COMPOSITION_TOLERANCE}), got ${Math.round(sum * 10000) / 10000}`,
        'composition_sum',
      );
  }
  const volumes: { volume: number; disposition: '10' | '11' }[] = [];
  let wellId: string | null = null;
  if (req.well_id !== undefined) {
    if (req.volume_mcf !== undefined)
      throw ValidationError.single(
        ['body', 'volume_mcf'],
        'give either volume_mcf or well_id, not both',
        'conflicting',
      );
    wellId = normaliseWellId(req.well_id, ['body', 'well_id']);
    if (req.from && req.to && utc(req.to) < utc(req.from))
      throw ValidationError.single(['body', 'to'], 'must not be before from', 'end_before_start');
    await requireWell(deps.kg, caller, wellId, ['body', 'well_id']);
    const events = await flareVolumes(deps.store, tenant, {
      well_id: wellId,
      from: req.from ? utc(req.from) : undefined,
      to: req.to ? utc(req.to) : undefined,
    });
    for (const d of DISPOSITION_CODES) {
      const of = events.filter((e) => e.disposition === d);
      if (of.length > 0) volumes.push({ volume: of.reduce((s, e) => s + e.volume_mcf, 0), disposition: d });
    }
  } else {
    if (req.volume_mcf === undefined)
      throw ValidationError.single(
        ['body', 'volume_mcf'],
        'volume_mcf (with disposition) or well_id is required',
        'missing',
      );
    volumes.push({ volume: req.volume_mcf, disposition: req.disposition ?? '10' });
  }
  const parts: Emissions[] = volumes.map((v) =>
    estimateEmissions({
      volumeMcf: v.volume,
      disposition: v.disposition,
      composition: req.gas_composition,
      combustionEfficiency: req.combustion_efficiency,
    }),
  );
  const sum = (k: 'co2_t' | 'ch4_t' | 'n2o_t' | 'co2e_t') => round(parts.reduce((s, p) => s + p[k], 0));
  const defaulted = req.gas_composition === undefined;
  return {
    well_id: wellId,
    composition_source: defaulted ? ('default' as const) : ('analysis' as const),
    ...(defaulted ? { note: estimateEmissions({ volumeMcf: 0, disposition: '10' }).note } : {}),
    by_disposition: parts.map((p) => ({
      ...p,
      co2_t: round(p.co2_t),
      ch4_t: round(p.ch4_t),
      n2o_t: round(p.n2o_t),
      co2e_t: round(p.co2e_t),
    })),
    total: {
      volume_mcf: round(parts.reduce((s, p) => s + p.volume_mcf, 0)),
      co2_t: sum('co2_t'),
      ch4_t: sum('ch4_t'),
      n2o_t: sum('n2o_t'),
      co2e_t: sum('co2e_t'),
    },
  };
}

export interface WindowRequest {
  well_id?: string;
  authorization_id?: string;
  window_days: number;
  as_of?: string;
}

/** Burn rate of a well, of an authorisation, or of the whole tenant over the trailing window. */
export async function burnRateOf(deps: FlaringDeps, caller: GraphCaller, tenant: string, req: WindowRequest) {
  const asOf = req.as_of ?? todayOf(deps.now());
  const wellId = req.well_id !== undefined ? normaliseWellId(req.well_id, ['query', 'well_id']) : undefined;
  if (wellId) await requireWell(deps.kg, caller, wellId, ['query', 'well_id']);
  const from = `${addDays(asOf, 1 - req.window_days)}T00:00:00.000Z`;
  const to = `${addDays(asOf, 1)}T00:00:00.000Z`;
  const events = await flareVolumes(deps.store, tenant, {
    well_id: wellId,
    authorization_id: req.authorization_id,
    from,
    to,
  });
  return {
    well_id: wellId ?? null,
    authorization_id: req.authorization_id ?? null,
    as_of: asOf,
    ...burnRate(events, asOf, req.window_days),
  };
}

/** Forecasts of one authorisation, or of every authorisation of a well (one of the two is required). */
export async function forecasts(
  deps: FlaringDeps,
  caller: GraphCaller,
  tenant: string,
  req: WindowRequest,
): Promise<{ as_of: string; data: Forecast[] }> {
  const asOf = req.as_of ?? todayOf(deps.now());
  let auths;
  if (req.authorization_id !== undefined)
    auths = [await requireAuthorization(deps.kg, caller, req.authorization_id, ['body', 'authorization_id'])];
  else if (req.well_id !== undefined) {
    const wellId = normaliseWellId(req.well_id, ['body', 'well_id']);
    await requireWell(deps.kg, caller, wellId, ['body', 'well_id']);
    auths = await authorizationsOfWell(deps.kg, caller, wellId);
  } else
    throw ValidationError.single(
      ['body', 'authorization_id'],
      'authorization_id or well_id is required',
      'missing',
    );
  const data: Forecast[] = [];
  for (const a of auths)
    data.push(
      forecast(
        a,
        await flareVolumes(deps.store, tenant, { authorization_id: a.authorization_id }),
        asOf,
        req.window_days,
      ),
    );
  return { as_of: asOf, data };
}
