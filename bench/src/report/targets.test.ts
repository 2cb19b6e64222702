import { checkGateway, checkIngest } from './targets';

describe('the benchmark targets', () => {
  const config = (name: string, requestsPerSec: number) => ({
    name,
    label: name,
    requestsPerSec,
    latencyMs: {},
  });

  it('computes a ratio the benchmark did not state, and leaves a target without its figures unmeasured', () => {
    const checks = checkGateway({
      configurations: [config('B', 900), config('C', 850), config('E', 1000), config('G', 900)],
      ratios: { 'B/E': 0.9 },
      skipped: {},
    });
    expect(checks).toEqual([
      expect.objectContaining({ what: 'B/E', value: 0.9, met: true }),
      expect.objectContaining({ what: 'C/B', value: 0.94, met: true }),
      { what: 'B/D', rule: '≥ 0.30 of nginx' },
      expect.objectContaining({ what: 'B/G', value: 1, met: false }), // B > G, strictly
    ]);
  });

  it('judges ingestion by the slowest upload with relationships of each store', () => {
    const run = (series: string, rowsPerSec: number) => ({ series, rows: 1000, rowsPerSec });
    expect(
      checkIngest({
        runs: [run('SQLite · full', 30000), run('SQLite · full', 24000), run('SQLite · plain', 9)],
      }),
    ).toEqual([
      expect.objectContaining({ what: 'SQLite · full', value: 24000, met: false }),
      { what: 'PostgreSQL · full', rule: '≥ 10,000 rows/s with relationships (slowest upload)' },
    ]);
  });
});
