import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@aegis/testing';

/** The pinned schemathesis version, and the cached virtual environment that
 * `bash e2e/openapi/install-schemathesis.sh` creates for it (AEGIS_SCHEMATHESIS_VENV overrides). */
export const SCHEMATHESIS_VERSION = fs
  .readFileSync(path.join(repoRoot, 'e2e/openapi/schemathesis-version'), 'utf8')
  .trim();

export function schemathesisBinary(): { path: string; found: boolean } {
  const venv =
    process.env.AEGIS_SCHEMATHESIS_VENV ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'aegis',
      `schemathesis-${SCHEMATHESIS_VERSION}`,
    );
  const bin = path.join(venv, 'bin', 'st');
  return { path: bin, found: fs.existsSync(path.join(venv, '.aegis-complete')) && fs.existsSync(bin) };
}

/** One failed check of one generated request. */
export interface Finding {
  /** `METHOD /path` as in the document, or `Stateful tests`. */
  operation: string;
  /** The schemathesis check (`not_a_server_error`, `status_code_conformance`, ...). */
  check: string;
  /** The answered status, when the report has the exchange. */
  status?: number;
  /** The first line of schemathesis's message (`Received: 422`). */
  message: string;
  /** What was sent and answered, for the failure message. */
  exchange?: string;
}

export interface FuzzRun {
  exitCode: number | null;
  output: string;
  findings: Finding[];
  /** How many test cases schemathesis generated (a run that tested nothing must not pass). */
  generated: number;
  operationsTested: number;
}

const decode = (content: unknown): string => {
  if (content && typeof content === 'object' && '$base64' in content)
    return Buffer.from(String((content as { $base64: string }).$base64), 'base64').toString('utf8');
  return typeof content === 'string' ? content : JSON.stringify(content ?? '');
};

interface Interaction {
  request?: { method?: string; uri?: string; body?: unknown };
  response?: { status_code?: number; content?: unknown };
}

interface CheckRecord {
  name: string;
  status: string;
  failure_info?: { failure?: { operation?: string; message?: string } };
}

/** Reads the failed checks out of schemathesis's NDJSON event stream. */
export function findingsFromNdjson(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"ScenarioFinished"')) continue;
    const event = JSON.parse(line) as {
      ScenarioFinished: {
        recorder: {
          label: string;
          checks?: Record<string, CheckRecord[]>;
          interactions?: Record<string, Interaction>;
        };
      };
    };
    const recorder = event.ScenarioFinished.recorder;
    for (const [caseId, checks] of Object.entries(recorder.checks ?? {})) {
      for (const check of checks) {
        if (check.status === 'success' || check.status === 'skip') continue;
        const failure = check.failure_info?.failure;
        const interaction = recorder.interactions?.[caseId];
        const status = interaction?.response?.status_code;
        const request = interaction?.request;
        findings.push({
          operation: failure?.operation ?? recorder.label,
          check: check.name,
          ...(status !== undefined ? { status } : {}),
          message: (failure?.message ?? check.status).split('\n')[0],
          ...(request
            ? {
                exchange: `${request.method} ${request.uri} ${decode(request.body).slice(0, 300)} -> ${status} ${decode(
                  interaction?.response?.content,
                ).slice(0, 400)}`,
              }
            : {}),
        });
      }
    }
  }
  return findings;
}

/** Runs `st run` against a schema URL and collects its findings from the NDJSON report. */
export async function runSchemathesis(options: {
  binary: string;
  schemaUrl: string;
  /** Where requests go when not the document's `servers` (a service called directly). */
  baseUrl?: string;
  headers: Record<string, string>;
  checks: readonly string[];
  excludePaths?: readonly string[];
  /** Only the operations whose path matches (a suite fuzzing one service's part of the document). */
  includePathRegex?: string;
  maxExamples: number;
  seed: number;
  workers: number;
  timeoutMs: number;
  reportDir: string;
}): Promise<FuzzRun> {
  const ndjson = path.join(options.reportDir, 'events.ndjson');
  const args = [
    '--no-color',
    'run',
    options.schemaUrl,
    ...(options.baseUrl ? ['--url', options.baseUrl] : []),
    ...Object.entries(options.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
    '--checks',
    options.checks.join(','),
    ...(options.excludePaths ?? []).flatMap((p) => ['--exclude-path', p]),
    ...(options.includePathRegex ? ['--include-path-regex', options.includePathRegex] : []),
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    '--workers',
    String(options.workers),
    '--request-timeout',
    '20',
    // The token comes from the header above; generated Authorization or cookie values would only
    // test that the gateway refuses garbage, which the gateway's own suites do.
    '--generation-with-security-parameters',
    'false',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    ndjson,
  ];
  const child = spawn(options.binary, args, {
    cwd: options.reportDir,
    env: { PATH: process.env.PATH ?? '', HOME: options.reportDir, LANG: 'C.UTF-8', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  const text = fs.existsSync(ndjson) ? fs.readFileSync(ndjson, 'utf8') : '';
  const generated = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
  const operationsTested = Number(/Tested: (\d+)/.exec(output)?.[1] ?? 0);
  return { exitCode, output, findings: findingsFromNdjson(text), generated, operationsTested };
}
