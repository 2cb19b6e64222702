import type { ArtifactStorageSettings } from '../config';
import { createLocalArtifactStorage, stagingDir } from './local';
import { createS3ArtifactStorage } from './s3';
import type { ArtifactStorage } from './types';

/** The configured storage and where uploads are spooled before `put`. */
export interface ArtifactStore {
  storage: ArtifactStorage;
  spoolDir: string;
}

export function createArtifactStore(settings: ArtifactStorageSettings): ArtifactStore {
  if (settings.kind === 'local')
    return { storage: createLocalArtifactStorage(settings.dir), spoolDir: stagingDir(settings.dir) };
  return {
    storage: createS3ArtifactStorage({
      endpoint: settings.endpoint,
      bucket: settings.bucket,
      region: settings.region,
      prefix: settings.prefix,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      virtualHosted: settings.virtualHosted,
      timeoutMs: settings.timeoutMs,
    }),
    spoolDir: settings.spoolDir,
  };
}
