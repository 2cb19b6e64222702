import fs from 'node:fs';

/** A V8 `.cpuprofile` (what `node --cpu-prof` writes), the parts read here. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by function (name, file, line). */
  frames: FrameShare[];
  /** Self time by where the code lives (node internals, a package, the gateway, common). */
  areas: FrameShare[];
  /** Time with the frame on the stack (self and callees), for the application's own frames (not node
   * internals): what each middleware step costs up to its first await. */
  inclusive: FrameShare[];
}

/** Where a frame's code lives: a package name, `gateway`, `common`, `node:<module>` or a V8 bucket. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:').split('/')[0];
  if (url.includes('/gateway/')) return 'gateway';
  if (url.includes('/packages/')) return url.replace(/^.*\/packages\/([^/]+)\/.*$/, '@aegis/$1');
  return url;
}

const shortUrl = (url: string) =>
  url.replace(/^file:\/\/.*?\/(node_modules|gateway|packages)\//, '$1/').replace(/^node:internal\//, 'node:');

/** Self time per frame and per area of a CPU profile, largest first; idle time is not counted. */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameOf = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    return `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
  };
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const { functionName, url } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') return;
    total += us;
    const frame = frameOf(id);
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url: u } = byId.get(at)!.callFrame;
      if (u && !u.startsWith('node:')) onStack.add(frameOf(at));
    }
    for (const f of onStack) inclusive.set(f, (inclusive.get(f) ?? 0) + us);
  });
  const ranked = (m: Map<string, number>, n: number): FrameShare[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([frame, us]) => ({
        frame,
        selfMs: Math.round(us / 100) / 10,
        share: Math.round((us / total) * 1000) / 10,
      }));
  return {
    totalMs: Math.round(total / 1000),
    frames: ranked(frames, top),
    areas: ranked(areas, 20),
    inclusive: ranked(inclusive, top),
  };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

/** The summary as Markdown tables. */
export function profileMarkdown(title: string, s: ProfileSummary, requests: number): string {
  const table = (rows: FrameShare[]) =>
    [
      '| self ms | % | frame |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.selfMs} | ${r.share} | \`${r.frame}\` |`),
    ].join('\n');
  return `### ${title}

${s.totalMs} ms of CPU (idle and GC-free \`(program)\` excluded) for ${requests} requests → ${
    Math.round((s.totalMs / requests) * 1e5) / 100
  } CPU-ms per 1,000 requests in the profiled process.

By area:

${table(s.areas)}

Top frames (self time):

${table(s.frames)}

Application frames by inclusive time (self and callees; an async step up to its first await):

${table(s.inclusive)}
`;
}
