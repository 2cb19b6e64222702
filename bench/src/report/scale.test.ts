import { benchPlan, SCALES } from './scale';

describe('benchPlan (BENCH_SCALE, BENCH_STEPS)', () => {
  it('runs every benchmark at the standard sizes by default', () => {
    const plan = benchPlan({ PATH: '/bin' });
    expect(plan.scale).toBe('standard');
    expect(plan.steps).toEqual(['gateway', 'ingest', 'graph']);
    expect(plan.env).toMatchObject({ ...SCALES.standard, PATH: '/bin', BENCH_SCALE: 'standard' });
  });

  it('lets a variable set explicitly win over the preset', () => {
    const plan = benchPlan({ BENCH_SCALE: 'smoke', BENCH_INGEST_ROWS: '1000' });
    expect(plan.env.BENCH_INGEST_ROWS).toBe('1000');
    expect(plan.env.BENCH_ROUNDS).toBe(SCALES.smoke.BENCH_ROUNDS);
  });

  it('runs only the steps named, in the fixed order', () => {
    expect(benchPlan({ BENCH_STEPS: 'graph, gateway' }).steps).toEqual(['gateway', 'graph']);
  });

  it('names the variable when a value is unknown', () => {
    expect(() => benchPlan({ BENCH_SCALE: 'huge' })).toThrow(
      'BENCH_SCALE=huge is not one of smoke, standard, full',
    );
    expect(() => benchPlan({ BENCH_STEPS: 'gateway,nginx' })).toThrow(/^BENCH_STEPS=gateway,nginx must be/);
  });
});
