import fs from 'node:fs';
import path from 'node:path';

/** Summaries of V8 CPU profiles (`--cpu-prof`): the top frames by self time and the share of time under
 * the knowledge graph's store functions, so a run can say where the CPU went without a profiler UI. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  self_pct: number;
}

export interface ProfileSummary {
  file: string;
  seconds: number;
  top_self: FrameShare[];
  /** Inclusive share of the samples under each named function (its whole subtree). */
  inclusive: FrameShare[];
}

const frameName = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const rel = url.includes('/services/') ? url.slice(url.indexOf('/services/') + 1) : path.basename(url);
  return `${n.callFrame.functionName || '(anonymous)'} ${rel ? `${rel}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};

export function summariseProfile(file: string, inclusiveOf: readonly string[], top = 15): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = prof.samples.length || 1;
  const self = new Map<string, number>();
  const incl = new Map<string, number>(inclusiveOf.map((f) => [f, 0]));
  for (const [id, count] of hits) {
    const node = byId.get(id)!;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + count);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const fn = byId.get(cur)!.callFrame.functionName;
      if (incl.has(fn) && !seen.has(fn)) {
        seen.add(fn);
        incl.set(fn, incl.get(fn)! + count);
      }
    }
  }
  const pct = (x: number) => Math.round((x / total) * 1000) / 10;
  return {
    file: path.basename(file),
    seconds: Math.round((prof.endTime - prof.startTime) / 1e5) / 10,
    top_self: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, n]) => ({ frame, self_pct: pct(n) })),
    inclusive: [...incl.entries()].map(([frame, n]) => ({ frame, self_pct: pct(n) })),
  };
}

/** The summaries of every .cpuprofile in `dir`. */
export function summariseProfiles(dir: string, inclusiveOf: readonly string[]): ProfileSummary[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summariseProfile(path.join(dir, f), inclusiveOf));
}
