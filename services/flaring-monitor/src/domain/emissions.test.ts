import { DEFAULT_COMPOSITION, EMISSION_FACTORS } from './emission-factors';
import { compositionSum, estimateEmissions } from './emissions';

/** Hand-worked examples (domain.md "Emissions from flaring and venting"); the arithmetic is written
 * out so a reviewer can check it with a calculator. Constants: 379.3 scf/lb-mol, 0.45359237 kg/lb,
 * MW CO2 44.01, CH4 16.04; GWP CH4 28, N2O 265 (IPCC AR5). */
const KG_PER_LB = 0.45359237;

describe('estimateEmissions', () => {
  it('the constants come from one table: 98 % efficiency, GWPs 28 / 265, 379.3 scf per lb-mole', () => {
    expect(EMISSION_FACTORS.combustionEfficiency).toBe(0.98);
    expect(EMISSION_FACTORS.gwp).toMatchObject({ co2: 1, ch4: 28, n2o: 265 });
    expect(EMISSION_FACTORS.scfPerLbMole).toBe(379.3);
    expect(compositionSum(DEFAULT_COMPOSITION)).toBeCloseTo(1, 12);
  });

  it('1,000 mcf flared with the default composition (the README example)', () => {
    // 1,000 mcf = 1,000,000 scf; 1,000,000 / 379.3 = 2,636.4355 lb-mol of gas.
    const lbMol = 1_000_000 / 379.3;
    expect(lbMol).toBeCloseTo(2636.4355, 4);
    // Carbon atoms per mole: 0.80×1 + 0.10×2 + 0.05×3 + 0.02×4 + 0.01×5 = 1.28.
    // CO2 per mole of gas: 0.01 (already in the gas) + 0.98 × 1.28 = 1.2644.
    // CO2: 2,636.4355 × 1.2644 = 3,333.5091 lb-mol × 44.01 = 146,707.74 lb × 0.45359237 = 66,545.51 kg = 66.5455 t.
    const co2 = (lbMol * (0.01 + 0.98 * 1.28) * 44.01 * KG_PER_LB) / 1000;
    expect(co2).toBeCloseTo(66.5455, 4);
    // CH4 unburned: 2,636.4355 × (1 − 0.98) × 0.80 = 42.18297 lb-mol × 16.04 = 676.61 lb = 306.907 kg = 0.306907 t.
    const ch4 = (lbMol * 0.02 * 0.8 * 16.04 * KG_PER_LB) / 1000;
    expect(ch4).toBeCloseTo(0.306907, 6);
    // N2O: 1,000,000 scf × 1.235e-3 mmBtu/scf × 1.0e-4 kg/mmBtu = 0.1235 kg = 0.0001235 t.
    const n2o = (1_000_000 * 1.235e-3 * 1e-4) / 1000;
    expect(n2o).toBeCloseTo(0.0001235, 10);
    // CO2e: 66.5455 + 28 × 0.306907 (= 8.5934) + 265 × 0.0001235 (= 0.0327) = 75.1716 t.
    const co2e = co2 + 28 * ch4 + 265 * n2o;
    expect(co2e).toBeCloseTo(75.1716, 4);

    const r = estimateEmissions({ volumeMcf: 1000, disposition: '10' });
    expect(r.co2_t).toBeCloseTo(co2, 9);
    expect(r.ch4_t).toBeCloseTo(ch4, 9);
    expect(r.n2o_t).toBeCloseTo(n2o, 12);
    expect(r.co2e_t).toBeCloseTo(co2e, 9);
    expect(r.composition_source).toBe('default');
    expect(r.note).toMatch(/default composition/);
    expect(r.combustion_efficiency).toBe(0.98);
  });

  it('1,000 mcf vented releases the methane and CO2 unburned, no N2O', () => {
    // CH4: 2,636.4355 × 0.80 = 2,109.1484 lb-mol × 16.04 = 33,830.74 lb = 15,345.37 kg = 15.3454 t.
    // CO2: 2,636.4355 × 0.01 = 26.3644 lb-mol × 44.01 = 1,160.30 lb = 526.30 kg = 0.52630 t.
    // CO2e: 0.52630 + 28 × 15.3454 = 0.52630 + 429.6702 = 430.1965 t.
    const r = estimateEmissions({ volumeMcf: 1000, disposition: '11' });
    expect(r.ch4_t).toBeCloseTo(15.3454, 4);
    expect(r.co2_t).toBeCloseTo(0.5263, 4);
    expect(r.n2o_t).toBe(0);
    expect(r.co2e_t).toBeCloseTo(430.1965, 3);
    expect(r.combustion_efficiency).toBeNull();
  });

  it('pure methane flared at 95 %: 100 mcf', () => {
    // 100,000 scf / 379.3 = 263.64355 lb-mol; CO2 = 0.95 × 263.64355 = 250.46137 lb-mol × 44.01
    // = 11,022.80 lb = 4,999.84 kg = 4.99984 t; CH4 = 0.05 × 263.64355 = 13.18218 lb-mol × 16.04
    // = 211.4421 lb = 95.9087 kg = 0.0959087 t; N2O = 100,000 × 1.235e-3 × 1e-4 = 0.01235 kg.
    const r = estimateEmissions({
      volumeMcf: 100,
      disposition: '10',
      composition: { methane: 1 },
      combustionEfficiency: 0.95,
    });
    expect(r.co2_t).toBeCloseTo(4.99984, 4);
    expect(r.ch4_t).toBeCloseTo(0.0959087, 6);
    expect(r.n2o_t).toBeCloseTo(0.00001235, 10);
    // CO2e = 4.99984 + 28 × 0.0959087 (2.68544) + 265 × 0.00001235 (0.00327) = 7.68855 t.
    expect(r.co2e_t).toBeCloseTo(7.68855, 4);
    expect(r.composition_source).toBe('analysis');
    expect(r.note).toBeUndefined();
  });

  it('zero volume emits nothing', () => {
    const r = estimateEmissions({ volumeMcf: 0, disposition: '10' });
    expect([r.co2_t, r.ch4_t, r.n2o_t, r.co2e_t]).toEqual([0, 0, 0, 0]);
  });
});
