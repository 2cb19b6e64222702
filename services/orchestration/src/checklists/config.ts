import path from 'node:path';
import { envBool, envInt, envString, invalidEnv } from '@aegis/common';
import { z } from 'zod';

/**
 * The checklist settings, for the orchestration's `config.ts` to spread: `...checklistsEnv` into the
 * schema's `extend`, and `checklists: …` into its transform (after
 * `serviceSettings(e)`: `checklistsSettings(e, settings.dataDir, ctx)`).
 */
export const checklistsEnv = {
  /** Largest artifact accepted (bytes); a bigger upload answers 413 and stores nothing. */
  ARTIFACT_MAX_BYTES: envInt(25 * 1024 * 1024, 1, 5 * 1024 * 1024 * 1024),
  /** `local` (files under ARTIFACT_DIR) or `s3` (an S3-compatible object store). */
  ARTIFACT_STORAGE: z.enum(['local', 's3']).default('local'),
  /** Default `<AEGIS_DATA_DIR>/artifacts`. */
  ARTIFACT_DIR: envString(''),
  /** Where uploads are spooled while they are hashed (s3 only; local spools beside ARTIFACT_DIR).
   * Default `<AEGIS_DATA_DIR>/artifact-spool`. */
  ARTIFACT_SPOOL_DIR: envString(''),
  ARTIFACT_S3_ENDPOINT: envString(''),
  ARTIFACT_S3_BUCKET: envString(''),
  ARTIFACT_S3_REGION: envString('us-east-1'),
  ARTIFACT_S3_PREFIX: envString(''),
  ARTIFACT_S3_ACCESS_KEY_ID: envString(''),
  ARTIFACT_S3_SECRET_ACCESS_KEY: envString(''),
  /** `bucket.host/key` addressing instead of the path style every S3-compatible store accepts. */
  ARTIFACT_S3_VIRTUAL_HOSTED: envBool(false),
  ARTIFACT_S3_TIMEOUT_MS: envInt(30_000, 100, 600_000),
};

type ChecklistsEnv = { [K in keyof typeof checklistsEnv]: z.output<(typeof checklistsEnv)[K]> };

export type ArtifactStorageSettings =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      spoolDir: string;
      endpoint: string;
      bucket: string;
      region: string;
      prefix: string;
      accessKeyId: string;
      secretAccessKey: string;
      virtualHosted: boolean;
      timeoutMs: number;
    };

export interface ChecklistsSettings {
  artifactMaxBytes: number;
  storage: ArtifactStorageSettings;
}

/** The settings from the parsed variables; `dataDir` is `serviceSettings(e).dataDir`. */
export function checklistsSettings(
  e: ChecklistsEnv,
  dataDir: string,
  ctx: z.RefinementCtx,
): ChecklistsSettings {
  if (e.ARTIFACT_STORAGE === 'local')
    return {
      artifactMaxBytes: e.ARTIFACT_MAX_BYTES,
      storage: { kind: 'local', dir: e.ARTIFACT_DIR || path.join(dataDir, 'artifacts') },
    };
  for (const name of [
    'ARTIFACT_S3_ENDPOINT',
    'ARTIFACT_S3_BUCKET',
    'ARTIFACT_S3_ACCESS_KEY_ID',
    'ARTIFACT_S3_SECRET_ACCESS_KEY',
  ] as const)
    if (!e[name]) invalidEnv(ctx, name, 'is required when ARTIFACT_STORAGE=s3');
  if (e.ARTIFACT_S3_ENDPOINT && !/^https?:\/\/[^/]/.test(e.ARTIFACT_S3_ENDPOINT))
    invalidEnv(ctx, 'ARTIFACT_S3_ENDPOINT', 'must be an http(s) URL');
  return {
    artifactMaxBytes: e.ARTIFACT_MAX_BYTES,
    storage: {
      kind: 's3',
      spoolDir: e.ARTIFACT_SPOOL_DIR || path.join(dataDir, 'artifact-spool'),
      endpoint: e.ARTIFACT_S3_ENDPOINT,
      bucket: e.ARTIFACT_S3_BUCKET,
      region: e.ARTIFACT_S3_REGION,
      prefix: e.ARTIFACT_S3_PREFIX,
      accessKeyId: e.ARTIFACT_S3_ACCESS_KEY_ID,
      secretAccessKey: e.ARTIFACT_S3_SECRET_ACCESS_KEY,
      virtualHosted: e.ARTIFACT_S3_VIRTUAL_HOSTED,
      timeoutMs: e.ARTIFACT_S3_TIMEOUT_MS,
    },
  };
}
