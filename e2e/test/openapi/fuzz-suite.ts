import fs from 'node:fs';
import { describeIf, tempDir } from '@aegis/testing';
import { matchesKnown, type KnownFinding } from './known-findings';
import { runSchemathesis, schemathesisBinary, type FuzzRun } from './schemathesis';

/** A platform a fuzz suite runs against: the gateway's base URL, a token, and how to stop it. */
export interface FuzzTarget {
  base: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * One service's endpoints of the gateway's merged document under the property-based fuzzer
 * (schemathesis; bounded: a fixed seed, one worker): no server error, and no status, content type or
 * body the document does not declare, and a method a path lacks is a 405 with `Allow`. With `accepted`,
 * schema-valid requests must be accepted too, except the rejections listed there (rules about stored
 * data or other fields that no schema can state, each with its reason).
 */
export function describeServiceFuzz(options: {
  title: string;
  start: () => Promise<FuzzTarget>;
  /** `gateway` (default): the gateway's merged document at `<base>/api/v1/openapi.json`; `service`: an
   * internal service's own document at `<base>/openapi.json`, requests sent to `base` directly. */
  document?: 'gateway' | 'service';
  /** Paths fuzzed, e.g. `^/api/v1/compliance/`. */
  includePathRegex: string;
  excludePaths?: readonly string[];
  /** How many operations the run must reach. */
  operations: number;
  maxExamples?: number;
  /** Check `positive_data_acceptance`, allowing these rejections. */
  accepted?: readonly KnownFinding[];
}): void {
  const st = schemathesisBinary();
  describeIf(
    st.found,
    `schemathesis ${st.path}`,
    'create it with `bash e2e/openapi/install-schemathesis.sh` (.ci/run does)',
  )(`${options.title} under a property-based API fuzzer`, () => {
    let target: FuzzTarget | undefined;
    let run: FuzzRun;
    let reportDir: string;

    beforeAll(async () => {
      target = await options.start();
      reportDir = tempDir('schemathesis-service');
      run = await runSchemathesis({
        binary: st.path,
        schemaUrl:
          options.document === 'service'
            ? `${target.base}/openapi.json`
            : `${target.base}/api/v1/openapi.json`,
        baseUrl: options.document === 'service' ? target.base : undefined,
        headers: { Authorization: `Bearer ${target.token}` },
        checks: [
          'not_a_server_error',
          'status_code_conformance',
          'content_type_conformance',
          'response_schema_conformance',
          'unsupported_method',
          ...(options.accepted ? ['positive_data_acceptance'] : []),
        ],
        includePathRegex: options.includePathRegex,
        excludePaths: options.excludePaths,
        maxExamples: options.maxExamples ?? 25,
        seed: 20261129,
        workers: 1,
        timeoutMs: 240_000,
        reportDir,
      });
    }, 300_000);

    afterAll(async () => {
      await target?.stop();
      if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
    });

    it(`tests its ${options.operations} operations and finds nothing`, () => {
      expect(run.exitCode).not.toBeNull(); // not killed by the time bound
      expect(run.operationsTested).toBe(options.operations);
      expect(run.generated).toBeGreaterThan(options.operations * 5);
      const unexpected = run.findings.filter((f) => !matchesKnown(f, options.accepted ?? []));
      expect(unexpected.map((f) => `${f.operation} [${f.check}] ${f.exchange ?? f.message}`)).toEqual([]);
    });
  });
}
