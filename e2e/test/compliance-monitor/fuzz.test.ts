import fs from 'node:fs';
import { describeIf, tempDir } from '@aegis/testing';
import { runSchemathesis, schemathesisBinary, type FuzzRun } from '../openapi/schemathesis';
import { startCompliancePlatform, type CompliancePlatform } from './platform';

const st = schemathesisBinary();

/** The compliance endpoints of the gateway's merged document under the property-based fuzzer
 * (bounded, fixed seed): no server error and no undocumented answer for any generated request. */
describeIf(
  st.found,
  `schemathesis ${st.path}`,
  'create it with `bash e2e/openapi/install-schemathesis.sh` (.ci/run does)',
)('the compliance API under a property-based API fuzzer', () => {
  let p: CompliancePlatform;
  let run: FuzzRun;
  let reportDir: string;

  beforeAll(async () => {
    p = await startCompliancePlatform();
    reportDir = tempDir('schemathesis-compliance');
    run = await runSchemathesis({
      binary: st.path,
      schemaUrl: `${p.base}/api/v1/openapi.json`,
      headers: { Authorization: `Bearer ${p.admin.token}` },
      checks: [
        'not_a_server_error',
        'status_code_conformance',
        'content_type_conformance',
        'response_schema_conformance',
      ],
      includePathRegex: '^/api/v1/compliance/',
      maxExamples: 25,
      seed: 20261129,
      workers: 1,
      timeoutMs: 240_000,
      reportDir,
    });
  }, 300_000);
  afterAll(async () => {
    await p?.stop();
    if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
  });

  it('tests the five operations and finds nothing', () => {
    expect(run.exitCode).not.toBeNull();
    expect(run.operationsTested).toBe(5);
    expect(run.generated).toBeGreaterThan(50);
    expect(run.findings.map((f) => `${f.operation} [${f.check}] ${f.message}`)).toEqual([]);
  });
});
