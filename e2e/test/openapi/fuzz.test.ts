import fs from 'node:fs';
import { describeIf, tempDir } from '@aegis/testing';
import { undeclaredSecuritySchemes } from '@aegis/gateway';
import { startIngestionPlatform, type IngestionPlatform } from '../ingestion/platform';
import { runSchemathesis, schemathesisBinary, type Finding, type FuzzRun } from './schemathesis';
import { KNOWN_FINDINGS, matchesKnown } from './known-findings';

const st = schemathesisBinary();

/** Every check that a response conforms to the document, that schema-valid requests are accepted,
 * and that a method the document does not list is answered 405 with `Allow`. Server errors are
 * never acceptable, whatever the allow-list says. */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'positive_data_acceptance',
  'unsupported_method',
] as const;

/** Operations not fuzzed, each with why. */
const EXCLUDED_PATHS = [
  // Logging out revokes the one token the run authenticates with: every later request would be 401.
  // Its behaviour is covered by e2e/test/gateway/platform.test.ts.
  '/api/v1/auth/logout',
  // An event stream never ends, so a fuzzer waits on it until its timeout. Its behaviour is covered
  // by e2e/test/flaring-monitor/events-stream.test.ts.
  '/api/v1/events/stream',
];

const describeFuzz = describeIf(
  st.found,
  `schemathesis ${st.path}`,
  'create it with `bash e2e/openapi/install-schemathesis.sh` (.ci/run does)',
);

/**
 * The merged API document (`GET /api/v1/openapi.json`) fed to a property-based API fuzzer
 * (schemathesis) against the platform it describes — auth, knowledge graph, ingestion and the
 * gateway, on free loopback ports with SQLite in a temp dir — authenticated as the local admin.
 * Bounded: a fixed seed, a few examples per operation, one worker (so a run is repeatable).
 */
describeFuzz('GET /api/v1/openapi.json under a property-based API fuzzer', () => {
  let platform: IngestionPlatform;
  let run: FuzzRun;
  let reportDir: string;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    platform = await startIngestionPlatform();
    doc = (await (await fetch(`${platform.base}/api/v1/openapi.json`)).json()) as Record<string, unknown>;
    reportDir = tempDir('schemathesis');
    run = await runSchemathesis({
      binary: st.path,
      schemaUrl: `${platform.base}/api/v1/openapi.json`,
      headers: { Authorization: `Bearer ${platform.tokens.admin}` },
      checks: CHECKS,
      excludePaths: EXCLUDED_PATHS,
      maxExamples: 15,
      seed: 20261129,
      workers: 1,
      timeoutMs: 240_000,
      reportDir,
    });
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
  });

  const describeFindings = (findings: Finding[]) =>
    findings
      .map((f) => `- ${f.operation} [${f.check}] ${f.message}${f.exchange ? `\n    ${f.exchange}` : ''}`)
      .join('\n');

  it('describes every running service, and every security requirement names a declared scheme', () => {
    expect(doc['x-aegis-unavailable-services']).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(auth|knowledge-graph|ingestion)$/)]),
    );
    expect(undeclaredSecuritySchemes(doc)).toEqual([]);
    expect(Object.keys((doc.components as { securitySchemes: object }).securitySchemes)).toEqual(
      expect.arrayContaining(['bearer', 'cookie']),
    );
  });

  it('tests every operation of the document', () => {
    expect(run.exitCode).not.toBeNull(); // not killed by the time bound
    expect(run.operationsTested).toBeGreaterThan(30);
    expect(run.generated).toBeGreaterThan(200);
  });

  it('answers no request with a server error', () => {
    const serverErrors = run.findings.filter((f) => f.check === 'not_a_server_error');
    if (serverErrors.length > 0) throw new Error(`Server errors:\n${describeFindings(serverErrors)}`);
  });

  it('answers only documented statuses, content types and bodies, and accepts schema-valid requests (but the allow-list)', () => {
    const unexpected = run.findings.filter((f) => f.check !== 'not_a_server_error' && !matchesKnown(f));
    if (unexpected.length > 0)
      throw new Error(
        `Findings not in e2e/test/openapi/known-findings.ts:\n${describeFindings(unexpected)}\n\n${run.output.slice(-4000)}`,
      );
    // Entries that no longer reproduce are worth removing: say so without failing (a fuzzer may not
    // reach a case on every run).
    const stale = KNOWN_FINDINGS.filter((k) => !run.findings.some((f) => matchesKnown(f, [k])));
    if (stale.length > 0)
      console.warn(
        `Known findings that did not reproduce (remove them if fixed):\n${stale.map((k) => `- ${k.operation} [${k.check}]${k.status ? ` ${k.status}` : ''}`).join('\n')}`,
      );
  });
});
