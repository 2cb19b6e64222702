/**
 * BENCH_SCALE: one knob for the sizes of every benchmark `npm run bench` runs.
 * Each preset is a set of the benchmarks' own variables; a variable set explicitly in the
 * environment wins over the preset.
 *   smoke     seconds: proves the whole chain works (1 short gateway round, 20k rows, 10k entities)
 *   standard  the default, under 10 minutes on a 2-core machine, at the sizes the targets are stated
 *             for: the gateway's rounds at its defaults (two table sizes in its sweep), uploads of
 *             100k and 1M rows on SQLite and 100k on PostgreSQL, a 1M-entity / 3M-edge graph on
 *             each store
 *   full      standard with the gateway's whole route/tenant sweep (five table sizes)
 */
export const SCALES = {
  smoke: {
    BENCH_QUICK: '1',
    BENCH_ROUNDS: '1',
    BENCH_SECONDS: '2',
    BENCH_INGEST_ROWS: '5000,20000',
    BENCH_GRAPH_ENTITIES: '10000',
    BENCH_GRAPH_EDGES: '30000',
    BENCH_GRAPH_REQUESTS: '50',
  },
  standard: {
    BENCH_QUICK: '1',
    BENCH_INGEST_ROWS: '100000,1000000',
    BENCH_INGEST_PG_ROWS: '100000',
    BENCH_GRAPH_ENTITIES: '1000000',
    BENCH_GRAPH_EDGES: '3000000',
    BENCH_GRAPH_REQUESTS: '300',
  },
  full: {
    BENCH_INGEST_ROWS: '100000,1000000',
    BENCH_INGEST_PG_ROWS: '100000',
    BENCH_GRAPH_ENTITIES: '1000000',
    BENCH_GRAPH_EDGES: '3000000',
    BENCH_GRAPH_REQUESTS: '300',
  },
} as const satisfies Record<string, Record<string, string>>;

export type Scale = keyof typeof SCALES;

export const STEPS = ['gateway', 'ingest', 'graph'] as const;
export type Step = (typeof STEPS)[number];

export interface BenchPlan {
  scale: Scale;
  steps: Step[];
  /** The environment every benchmark process gets: the caller's, plus the preset where unset. */
  env: Record<string, string>;
}

/** The plan from BENCH_SCALE (default `standard`) and BENCH_STEPS (default all, comma list).
 * Throws with the variable's name for a value it does not know. */
export function benchPlan(env: Readonly<Record<string, string | undefined>>): BenchPlan {
  const scale = (env.BENCH_SCALE ?? 'standard') as Scale;
  if (!Object.hasOwn(SCALES, scale))
    throw new Error(`BENCH_SCALE=${scale} is not one of ${Object.keys(SCALES).join(', ')}`);
  const steps = (env.BENCH_STEPS ?? STEPS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = steps.filter((s) => !(STEPS as readonly string[]).includes(s));
  if (unknown.length > 0 || steps.length === 0)
    throw new Error(`BENCH_STEPS=${env.BENCH_STEPS} must be a comma list of ${STEPS.join(', ')}`);
  const defined = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    scale,
    steps: STEPS.filter((s) => steps.includes(s)),
    env: { ...SCALES[scale], ...defined, BENCH_SCALE: scale },
  };
}
