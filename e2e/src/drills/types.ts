/** What a fault drill reports. `outcomes` are behaviours (asserted by the jest suite); `measured`
 * checks compare measured times and memory with configured limits (reported by `npm run drills`,
 * never asserted in tests, since these machines are shared and noisy); `figures` are the numbers. */
export interface DrillResult {
  name: string;
  outcomes: Record<string, boolean>;
  measured: Record<string, boolean>;
  figures: Record<string, number | string>;
}

export const passed = (r: DrillResult): boolean =>
  Object.values(r.outcomes).every(Boolean) && Object.values(r.measured).every(Boolean);

export const percentile = (xs: number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The `p`th percentile of the requests' times in ms, rounded for a report. */
export const msPercentile = (requests: { ms: number }[], p: number): number =>
  round(
    percentile(
      requests.map((r) => r.ms),
      p,
    ),
  );
