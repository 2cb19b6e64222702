import fs from 'node:fs';
import path from 'node:path';

/** Summaries of V8 CPU profiles (`--cpu-prof`): the top frames by self time and the services' functions
 * by inclusive time, so a run can say where the CPU went without a profiler UI. */

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
  /** Inclusive share of the samples under the services' own functions (their whole subtree). */
  inclusive: FrameShare[];
}

const frameName = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const rel = url.includes('/services/') ? url.slice(url.indexOf('/services/') + 1) : path.basename(url);
  return `${n.callFrame.functionName || '(anonymous)'} ${rel ? `${rel}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = prof.samples.length || 1;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, count] of hits) {
    const name = frameName(byId.get(id)!);
    self.set(name, (self.get(name) ?? 0) + count);
    // Inclusive time of the services' own functions (an async function counts from its last await).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      if (!node.callFrame.url.includes('/services/')) continue;
      const frame = frameName(node);
      if (seen.has(frame)) continue;
      seen.add(frame);
      incl.set(frame, (incl.get(frame) ?? 0) + count);
    }
  }
  const pct = (x: number) => Math.round((x / total) * 1000) / 10;
  const ranked = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, n]) => ({ frame, self_pct: pct(n) }));
  return {
    file: path.basename(file),
    seconds: Math.round((prof.endTime - prof.startTime) / 1e5) / 10,
    top_self: ranked(self),
    inclusive: ranked(incl),
  };
}

/** The summaries of every .cpuprofile in `dir`. */
export function summariseProfiles(dir: string): ProfileSummary[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summariseProfile(path.join(dir, f)));
}
