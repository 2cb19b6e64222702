import { defaultRouteTable } from '@aegis/common';
import { RouteTable } from '@aegis/gateway';

/**
 * The gateway's route match alone (`RouteTable.match`), on the registry's table: nanoseconds per
 * match over a mix of paths and methods (a restricted row, its fallback, a deep path, an unknown one).
 * Run it under `flock /tmp/aegis-bench.lock` on a shared machine; the best round is the figure the
 * machine's load disturbs least (docs/adr/0028-method-aware-routes.md).
 *
 *   npx tsx bench/src/gateway/route-match.ts [matches-per-round]
 */
const requests: [string, string][] = [
  ['POST', '/api/v1/auth/token'],
  ['POST', '/api/v1/compliance/deadlines'],
  ['GET', '/api/v1/compliance/deadlines'],
  ['GET', '/api/v1/compliance/summary'],
  ['PATCH', '/api/v1/events/ev-1/correlate'],
  ['GET', '/api/v1/entities/Well/42-123-45678'],
  ['GET', '/api/v1/unknown/x'],
];

const table = new RouteTable(defaultRouteTable().routes);
const perRound = Number(process.argv[2] ?? 3_000_000);
const rounds: number[] = [];
let found = 0;
for (let r = 0; r < 7; r++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < perRound; i++) {
    const [method, path] = requests[i % requests.length];
    if (table.match(path, method)) found++;
  }
  rounds.push(Number(process.hrtime.bigint() - start) / perRound);
}
const sorted = [...rounds].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    matches_per_round: perRound,
    best_ns: Number(sorted[0].toFixed(1)),
    median_ns: Number(sorted[3].toFixed(1)),
    rounds_ns: rounds.map((n) => Number(n.toFixed(1))),
    found,
  }),
);
