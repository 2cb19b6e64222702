import {
  forgedTokensDrill,
  passed,
  redisOutageDrill,
  sigtermDrill,
  slowClientsDrill,
  upstreamFailuresDrill,
  type DrillResult,
} from '.';
import { ensureTools } from '@aegis/testing';

/** `npm run drills`: every fault drill in turn, each printing pass/fail and its figures. */
async function main(): Promise<void> {
  ensureTools(['redis-server']);
  const drills: [string, () => Promise<DrillResult>][] = [
    ['upstream', () => upstreamFailuresDrill()],
    ['redis', () => redisOutageDrill()],
    ['sigterm', () => sigtermDrill()],
    ['slow', () => slowClientsDrill()],
    ['forged', () => forgedTokensDrill()],
  ];
  const only = process.argv[2];
  let failures = 0;
  for (const [key, run] of drills) {
    if (only && only !== key) continue;
    const r = await run();
    const ok = passed(r);
    if (!ok) failures += 1;
    console.log(`\n${ok ? 'PASS' : 'FAIL'}  ${r.name}`);
    for (const [k, v] of Object.entries(r.outcomes)) console.log(`  ${v ? '✓' : '✗'} ${k}`);
    for (const [k, v] of Object.entries(r.measured)) console.log(`  ${v ? '✓' : '✗'} ${k} (measured)`);
    for (const [k, v] of Object.entries(r.figures)) console.log(`    ${k}: ${v}`);
  }
  console.log(`\n${failures === 0 ? 'all drills passed' : `${failures} drill(s) failed`}`);
  process.exit(failures === 0 ? 0 : 1);
}

void main();
