import { z } from 'zod';
import { checklistsEnv, checklistsSettings } from './config';

/** As the orchestration's config.ts spreads them: the variables, then the settings. */
const schema = z.object(checklistsEnv).transform((e, ctx) => checklistsSettings(e, '/var/aegis', ctx));

describe('checklist settings', () => {
  it('default to local storage under AEGIS_DATA_DIR and a 25 MiB limit', () => {
    expect(schema.parse({})).toEqual({
      artifactMaxBytes: 25 * 1024 * 1024,
      storage: { kind: 'local', dir: '/var/aegis/artifacts' },
    });
    expect(schema.parse({ ARTIFACT_MAX_BYTES: '1048576', ARTIFACT_DIR: '/srv/a' })).toEqual({
      artifactMaxBytes: 1048576,
      storage: { kind: 'local', dir: '/srv/a' },
    });
  });

  it('take an S3-compatible store with its endpoint, bucket and keys', () => {
    const parsed = schema.parse({
      ARTIFACT_STORAGE: 's3',
      ARTIFACT_S3_ENDPOINT: 'http://s3.test.invalid:19000',
      ARTIFACT_S3_BUCKET: 'evidence',
      ARTIFACT_S3_ACCESS_KEY_ID: 'id',
      ARTIFACT_S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(parsed.storage).toMatchObject({
      kind: 's3',
      bucket: 'evidence',
      region: 'us-east-1',
      spoolDir: '/var/aegis/artifact-spool',
    });
  });

  it('refuse s3 without its variables, naming each, and a bad limit', () => {
    const result = schema.safeParse({ ARTIFACT_STORAGE: 's3', ARTIFACT_S3_BUCKET: 'b' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path[0])).toEqual([
      'ARTIFACT_S3_ENDPOINT',
      'ARTIFACT_S3_ACCESS_KEY_ID',
      'ARTIFACT_S3_SECRET_ACCESS_KEY',
    ]);
    const badUrl = schema.safeParse({
      ARTIFACT_STORAGE: 's3',
      ARTIFACT_S3_ENDPOINT: 's3.test.invalid:19000',
      ARTIFACT_S3_BUCKET: 'b',
      ARTIFACT_S3_ACCESS_KEY_ID: 'i',
      ARTIFACT_S3_SECRET_ACCESS_KEY: 's',
    });
    expect(badUrl.error!.issues.map((i) => i.path[0])).toEqual(['ARTIFACT_S3_ENDPOINT']);
    expect(schema.safeParse({ ARTIFACT_MAX_BYTES: '0' }).success).toBe(false);
    expect(schema.safeParse({ ARTIFACT_STORAGE: 'ftp' }).success).toBe(false);
  });
});
