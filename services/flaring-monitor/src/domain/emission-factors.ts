/**
 * The one table of emission constants (domain.md "Emissions from flaring and venting"). A deployment
 * that must report with other warming potentials changes them here and nowhere else.
 */
export const EMISSION_FACTORS = {
  /** Fraction of the hydrocarbons a flare burns; the rest leaves unburned (domain.md: 98 % default). */
  combustionEfficiency: 0.98,
  /** 100-year global warming potentials, IPCC AR5 (domain.md: CO2e = CO2 + 28 × CH4 + 265 × N2O). */
  gwp: { co2: 1, ch4: 28, n2o: 265, source: 'IPCC AR5, 100-year' },
  /** Standard cubic feet per lb-mole of ideal gas at 60 °F and 14.696 psia. */
  scfPerLbMole: 379.3,
  /** Kilograms per pound (exact). */
  kgPerLb: 0.45359237,
  /** Molecular weights, lb per lb-mole. */
  molecularWeight: { co2: 44.01, ch4: 16.04, n2o: 44.013 },
  /** N2O from flaring: 40 CFR 98 Subpart W, Eq. W-40: 1.0 × 10⁻⁴ kg N2O per mmBtu of gas combusted… */
  n2oKgPerMmbtu: 1.0e-4,
  /** …at the Subpart W default higher heating value of flared gas, 1.235 × 10⁻³ mmBtu per scf. */
  hhvMmbtuPerScf: 1.235e-3,
} as const;

/** Gas components of an analysis, in mole fractions, with the carbon atoms of each molecule. */
export const COMPONENTS = {
  methane: { carbon: 1 },
  ethane: { carbon: 2 },
  propane: { carbon: 3 },
  butane: { carbon: 4 },
  pentane: { carbon: 5 },
  hexane_plus: { carbon: 6 },
  co2: { carbon: 0 },
  nitrogen: { carbon: 0 },
  h2s: { carbon: 0 },
} as const;
export type Component = keyof typeof COMPONENTS;
export type GasComposition = Record<Component, number>;

/**
 * The default composition used when no gas analysis is given: a lean associated gas (mole fractions,
 * summing to 1). Stated in every result that uses it. Carbon atoms per mole of gas:
 * 0.80×1 + 0.10×2 + 0.05×3 + 0.02×4 + 0.01×5 = 1.28.
 */
export const DEFAULT_COMPOSITION: GasComposition = {
  methane: 0.8,
  ethane: 0.1,
  propane: 0.05,
  butane: 0.02,
  pentane: 0.01,
  hexane_plus: 0,
  co2: 0.01,
  nitrogen: 0.01,
  h2s: 0,
};
