import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** Parses wrk's text report (with --latency). */
export function parseWrk(text: string): LoadResult {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(text);
    return m ? toMs(m[1]) : Number.NaN;
  };
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const errorLine = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    requestsPerSec: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: pct('50'),
    p99Ms: pct('99'),
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    errors: errorLine ? errorLine.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

export interface WrkOptions {
  url: string;
  connections: number;
  durationSec: number;
  headers?: Record<string, string>;
  /** A Lua script (`-s`), e.g. `roundRobinScript`. */
  script?: string;
  /** Threads (default 1: the machine has two cores). */
  threads?: number;
}

/** A wrk script that gives each thread the next of `ports` on 127.0.0.1 in turn: with two threads
 * and two ports, half the connections go to each replica (a round-robin client). */
export function roundRobinScript(ports: readonly number[]): string {
  return `local ports = { ${ports.join(', ')} }
local n = 0
function setup(thread)
  n = n + 1
  thread.addr = wrk.lookup("127.0.0.1", tostring(ports[((n - 1) % #ports) + 1]))[1]
end
`;
}

/** The load generator runs as its own process (wrk, one thread: the machine has two cores). */
export function wrkCommand(o: WrkOptions): string[] {
  const args = [`-t${o.threads ?? 1}`, `-c${o.connections}`, `-d${o.durationSec}s`, '--latency'];
  for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (o.script) args.push('-s', o.script);
  args.push(o.url);
  return args;
}

export async function runWrk(o: WrkOptions): Promise<LoadResult> {
  const { stdout } = await run('wrk', wrkCommand(o), { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}
