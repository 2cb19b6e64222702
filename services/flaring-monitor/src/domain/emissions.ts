import {
  COMPONENTS,
  DEFAULT_COMPOSITION,
  EMISSION_FACTORS,
  type Component,
  type GasComposition,
} from './emission-factors';
import { DISPOSITIONS, type Disposition } from './dispositions';

/** A mole-fraction sum this far from 1 is refused (an analysis rounds; a typo does not). */
export const COMPOSITION_TOLERANCE = 0.01;

export interface EmissionsInput {
  volumeMcf: number;
  disposition: Disposition;
  /** Mole fractions; omitted → DEFAULT_COMPOSITION. Missing components count as 0. */
  composition?: Partial<GasComposition>;
  /** 0–1; omitted → EMISSION_FACTORS.combustionEfficiency. Ignored for vented gas. */
  combustionEfficiency?: number;
}

export interface Emissions {
  volume_mcf: number;
  disposition: Disposition;
  disposition_name: string;
  combustion_efficiency: number | null;
  composition: GasComposition;
  composition_source: 'default' | 'analysis';
  /** Set when the default composition was used. */
  note?: string;
  gwp: { co2: number; ch4: number; n2o: number; source: string };
  /** Metric tons. */
  co2_t: number;
  ch4_t: number;
  n2o_t: number;
  co2e_t: number;
  /** The intermediate figures, for checking by hand. */
  basis: { scf: number; lb_moles: number; co2_lb_moles: number; ch4_lb_moles: number; n2o_kg: number };
}

/** The mole-fraction sum of an analysis (missing components are 0). */
export function compositionSum(c: Partial<GasComposition>): number {
  return (Object.keys(COMPONENTS) as Component[]).reduce((s, k) => s + (c[k] ?? 0), 0);
}

const lbMolesToTonnes = (lbMoles: number, molecularWeight: number) =>
  (lbMoles * molecularWeight * EMISSION_FACTORS.kgPerLb) / 1000;

/**
 * Emissions of flared (code 10) or vented (code 11) gas (domain.md "Emissions from flaring and
 * venting"):
 * - gas moles = scf / 379.3;
 * - flared: CO2 = moles × (CO2 fraction + efficiency × Σ carbon atoms × fraction of each hydrocarbon);
 *   CH4 = moles × (1 − efficiency) × methane fraction; N2O = scf × HHV × 1.0e-4 kg/mmBtu (Subpart W);
 * - vented: CO2 = moles × CO2 fraction; CH4 = moles × methane fraction; no N2O;
 * - CO2e = CO2 + GWP(CH4) × CH4 + GWP(N2O) × N2O.
 */
export function estimateEmissions(input: EmissionsInput): Emissions {
  const F = EMISSION_FACTORS;
  const analysis = input.composition !== undefined;
  const composition: GasComposition = { ...DEFAULT_COMPOSITION };
  if (analysis)
    for (const k of Object.keys(COMPONENTS) as Component[]) composition[k] = input.composition?.[k] ?? 0;
  const flared = input.disposition === '10';
  const efficiency = input.combustionEfficiency ?? F.combustionEfficiency;

  const scf = input.volumeMcf * 1000;
  const lbMoles = scf / F.scfPerLbMole;
  let co2LbMoles: number;
  let ch4LbMoles: number;
  let n2oKg = 0;
  if (flared) {
    const carbon = (Object.keys(COMPONENTS) as Component[]).reduce(
      (s, k) => s + (k === 'co2' ? 0 : COMPONENTS[k].carbon * composition[k]),
      0,
    );
    co2LbMoles = lbMoles * (composition.co2 + efficiency * carbon);
    ch4LbMoles = lbMoles * (1 - efficiency) * composition.methane;
    n2oKg = scf * F.hhvMmbtuPerScf * F.n2oKgPerMmbtu;
  } else {
    co2LbMoles = lbMoles * composition.co2;
    ch4LbMoles = lbMoles * composition.methane;
  }
  const co2 = lbMolesToTonnes(co2LbMoles, F.molecularWeight.co2);
  const ch4 = lbMolesToTonnes(ch4LbMoles, F.molecularWeight.ch4);
  const n2o = n2oKg / 1000;
  return {
    volume_mcf: input.volumeMcf,
    disposition: input.disposition,
    disposition_name: DISPOSITIONS[input.disposition],
    combustion_efficiency: flared ? efficiency : null,
    composition,
    composition_source: analysis ? 'analysis' : 'default',
    ...(analysis
      ? {}
      : {
          note: 'No gas analysis was given: the default composition was used (mole fractions: methane 0.80, ethane 0.10, propane 0.05, butane 0.02, pentane 0.01, CO2 0.01, nitrogen 0.01).',
        }),
    gwp: { ...F.gwp },
    co2_t: co2,
    ch4_t: ch4,
    n2o_t: n2o,
    co2e_t: co2 * F.gwp.co2 + ch4 * F.gwp.ch4 + n2o * F.gwp.n2o,
    basis: { scf, lb_moles: lbMoles, co2_lb_moles: co2LbMoles, ch4_lb_moles: ch4LbMoles, n2o_kg: n2oKg },
  };
}
